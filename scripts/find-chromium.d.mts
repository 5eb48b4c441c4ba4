/** Types of find-chromium.mjs for the TypeScript side (e2e/support/chromium.ts imports it). */
export declare const CHROMIUM_CANDIDATES: readonly string[];
export declare function installedChromium(): string | undefined;
export declare function findChromium(options?: { install?: boolean; log?: (line: string) => void }): Promise<string>;
