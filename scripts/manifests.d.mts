/** Types of manifests.mjs for the TypeScript side (its test, scripts/manifests.test.ts). */
export type Manifest = Record<string, unknown> & { background?: { service_worker?: string; scripts?: string[]; type?: string } };
export declare function chromeManifest(root: Manifest): Manifest;
export declare function firefoxManifest(root: Manifest): Manifest;
export declare function zipDirectory(dir: string): Uint8Array;
