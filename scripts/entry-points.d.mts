/** Types of entry-points.mjs for the TypeScript side (vite.config.ts, vitest.config.ts, tests). */
export interface PackageSpec {
  dir: string;
  platform: "browser" | "node";
  bin?: Record<string, string>;
  entries: Record<string, { source: string; for: string }>;
}
export declare const PACKAGES: Record<string, PackageSpec>;
export declare function allEntries(): Array<{ specifier: string; packageName: string; name: string; source: string; platform: "browser" | "node" }>;
export declare function entryAliases(): Array<{ find: string; replacement: string }>;
