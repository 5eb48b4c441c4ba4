#!/usr/bin/env node
// `npm start`: builds, starts the identity emulator, launches Chromium with the extension (headless;
// `--headed` to watch) and runs the narrated resilience scenario; writes report/index.html.
import { runWithChromium } from "./run-with-chromium.mjs";

const args = process.argv.slice(2);
if (args.includes("--help")) {
  console.log("usage: npm start [-- --headed] [--skip-build] [--report <dir>]");
  process.exit(0);
}
await runWithChromium("e2e/demo/cli.ts", args, { verbose: true });
