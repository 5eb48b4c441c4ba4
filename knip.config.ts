// Dead code stays out: `knip` runs in `npm test` after lint and fails on any unused file,
// export, type or dependency. Entries are what is used from outside the code itself: the packages'
// public entry points (scripts/entry-points.mjs, the one list of the public surface), the extension's
// build entries (scripts/build.mjs) and pages, the scripts, and the tests with their configs (knip's
// vite, vitest and playwright plugins find the demo's pages, the unit tests and the specs).
import type { KnipConfig } from "knip";
import { PACKAGES } from "./scripts/entry-points.mjs";

const entrySources = (dir: string) =>
  Object.values(Object.values(PACKAGES).find((pkg) => pkg.dir === dir)!.entries).map((entry) =>
    dir === "." ? entry.source : entry.source.slice(dir.length + 1),
  );

const config: KnipConfig = {
  ignore: ["**/dist/**"],
  workspaces: {
    ".": {
      entry: [
        ...entrySources("."),
        // scripts/build.mjs: the service worker, the content scripts, the popup and options pages.
        "extension/background/main.ts",
        "extension/content/naa-bridge.main.ts",
        "extension/content/relay.isolated.ts",
        "extension/ui/popup/main.tsx",
        "extension/ui/options/main.tsx",
        "scripts/*.mjs",
        // The demo scenario (npm start), the bench (npm run bench) and the e2e fixtures' pages.
        "e2e/demo/cli.ts",
        "e2e/bench/cli.ts",
        "e2e/bench/{emulator,cache-lookup,extension}-bench.ts", // Imported by path from e2e/bench/cli.ts.
        "e2e/fixtures/**/*.{ts,html}",
      ],
      project: ["**/*.{ts,tsx,mjs}", "!e2e/kit/**"],
      // Read as a file (e2e/support/axe.ts injects axe.min.js through the DevTools protocol), not imported.
      // attw and publint: run through `npx` by scripts/check-packages.mjs (knip reads package.json
      // scripts, not spawned commands).
      ignoreDependencies: ["axe-core", "@arethetypeswrong/cli", "publint"],
      // A system tool: scripts/find-chromium.mjs runs it to install Debian's Chromium when none is found.
      ignoreBinaries: ["apt-get"],
    },
    "e2e/kit": {
      entry: entrySources("e2e/kit"),
      project: ["**/*.ts", "!dist/**"],
      // The Playwright kit's peer: optional because the emulator entry alone does not need it.
      ignoreDependencies: ["@playwright/test"],
    },
  },
};

export default config;
