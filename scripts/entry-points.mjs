// The package's public surface, in one place: every entry point a user may import, its source
// `index.ts`, and the runtime it targets. package.json `exports`, the TypeScript paths, the Vite/Vitest
// aliases and the library build all derive from (or are checked against) this list.
import { resolve } from "node:path";

const root = resolve(import.meta.dirname, "..");

/** @type {Record<string, { source: string; platform: "browser" | "node"; for: string }>} */
export const ENTRY_POINTS = {
  shell: { source: "web/shell/index.ts", platform: "browser", for: "any SPA: createAuthShell" },
  react: { source: "web/react/index.ts", platform: "browser", for: "React SPAs: AuthShellProvider and hooks" },
  "extension-broker": { source: "extension/broker/index.ts", platform: "browser", for: "other MV3 extensions: createExtensionBroker" },
  emulator: { source: "e2e/emulator/index.ts", platform: "node", for: "app teams' tests: startEmulator" },
  playwright: { source: "e2e/playwright/index.ts", platform: "node", for: "app teams' tests: test/expect with the entra fixture" },
};

export const PACKAGE_NAME = "resilient-token-broker";

/** `resilient-token-broker/<entry>` → absolute source path, for Vite and Vitest `resolve.alias`. */
export function entryAliases() {
  return Object.entries(ENTRY_POINTS).map(([name, entry]) => ({
    find: `${PACKAGE_NAME}/${name}`,
    replacement: resolve(root, entry.source),
  }));
}
