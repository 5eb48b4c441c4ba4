/** Types of find-firefox.mjs for the TypeScript side (e2e/support/firefox.ts imports it). */
export declare const FIREFOX_DEFAULT_PATH: string;
export declare const FIREFOX_MISSING: string;
export declare function findFirefox(): string;
