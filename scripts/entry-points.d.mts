/** Types of entry-points.mjs for the TypeScript side (vite.config.ts, vitest.config.ts). */
export declare const ENTRY_POINTS: Record<string, { source: string; platform: "browser" | "node"; for: string }>;
export declare const PACKAGE_NAME: string;
export declare function entryAliases(): Array<{ find: string; replacement: string }>;
