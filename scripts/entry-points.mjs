// The public surface, in one place: the packages this repository publishes, every entry point a user
// may import, its source `index.ts`, and the runtime it targets. package.json `exports` (of both
// packages), the TypeScript paths, the Vite/Vitest aliases and the library build all derive from (or
// are checked against) this list.
//
// Two packages, so that installing the package for a page brings no Node-only dependency:
// - `resilient-token-broker` (the repository root): the browser entries.
// - `resilient-token-broker-testkit` (`e2e/kit/`, an npm workspace): the identity emulator and the
//   Playwright kit, which own `jose`, `selfsigned` and the `@playwright/test` peer.
import { resolve } from "node:path";

const root = resolve(import.meta.dirname, "..");

/**
 * @type {Record<string, { dir: string; platform: "browser" | "node"; bin?: Record<string, string>;
 *   entries: Record<string, { source: string; for: string }> }>}
 */
export const PACKAGES = {
  "resilient-token-broker": {
    dir: ".",
    platform: "browser",
    entries: {
      shell: { source: "web/shell/index.ts", for: "any SPA: createAuthShell" },
      react: { source: "web/react/index.ts", for: "React SPAs: AuthShellProvider and hooks" },
      "extension-broker": { source: "extension/broker/index.ts", for: "other MV3 extensions: createExtensionBroker" },
      graph: { source: "web/graph/index.ts", for: "Microsoft Graph SDKs: token providers over the shell or a broker" },
    },
  },
  "resilient-token-broker-testkit": {
    dir: "e2e/kit",
    platform: "node",
    bin: { "entra-emulator": "e2e/kit/emulator/cli.ts" },
    entries: {
      emulator: { source: "e2e/kit/emulator/index.ts", for: "app teams' tests: startEmulator" },
      playwright: { source: "e2e/kit/playwright/index.ts", for: "app teams' tests: test/expect with the entra fixture" },
    },
  },
};

/** Every entry as `{ specifier, packageName, name, source, platform }`. */
export function allEntries() {
  return Object.entries(PACKAGES).flatMap(([packageName, pkg]) =>
    Object.entries(pkg.entries).map(([name, entry]) => ({
      specifier: `${packageName}/${name}`,
      packageName,
      name,
      source: entry.source,
      platform: pkg.platform,
    })),
  );
}

/** `<package>/<entry>` → absolute source path, for Vite and Vitest `resolve.alias`. */
export function entryAliases() {
  return allEntries().map((e) => ({ find: e.specifier, replacement: resolve(root, e.source) }));
}
