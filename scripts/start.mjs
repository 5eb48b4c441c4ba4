#!/usr/bin/env node
// `npm start`: builds, starts the identity emulator, launches Chromium with the extension (headless;
// `--headed` to watch) and runs the narrated resilience scenario; writes report/index.html.
import { spawnSync } from "node:child_process";
import { findChromium } from "./find-chromium.mjs";

const args = process.argv.slice(2);
if (args.includes("--help")) {
  console.log("usage: npm start [-- --headed] [--skip-build] [--report <dir>]");
  process.exit(0);
}

let chromium;
try {
  chromium = await findChromium();
} catch (error) {
  console.error(error.message);
  process.exit(1);
}
console.log(`Chromium: ${chromium}`);

if (!args.includes("--skip-build")) {
  console.log("Building the extension and the SPA shell (npm run build)…");
  const build = spawnSync("npm", ["run", "--silent", "build"], { stdio: "inherit" });
  if (build.status !== 0) {
    console.error("The build failed; see above.");
    process.exit(build.status ?? 1);
  }
}

const run = spawnSync("npx", ["tsx", "e2e/demo/cli.ts", ...args], {
  stdio: "inherit",
  env: { ...process.env, CHROMIUM_PATH: chromium },
});
process.exit(run.status ?? 1);
