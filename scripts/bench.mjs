#!/usr/bin/env node
// `npm run bench`: the side-by-side benchmark (extension broker vs plain MSAL vs a naive client) and
// the component benches, in one run against one emulator. Prints a table and ratios; writes bench/results.json.
import { spawnSync } from "node:child_process";
import { findChromium } from "./find-chromium.mjs";

const args = process.argv.slice(2);
let chromium;
try {
  chromium = await findChromium();
} catch (error) {
  console.error(error.message);
  process.exit(1);
}
if (!args.includes("--skip-build")) {
  const build = spawnSync("npm", ["run", "--silent", "build"], { stdio: "inherit" });
  if (build.status !== 0) process.exit(build.status ?? 1);
}
const run = spawnSync("npx", ["tsx", "e2e/bench/cli.ts", ...args], { stdio: "inherit", env: { ...process.env, CHROMIUM_PATH: chromium } });
process.exit(run.status ?? 1);
