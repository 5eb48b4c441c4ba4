#!/usr/bin/env node
// `npm start`: builds, starts the identity emulator, launches Chromium (or, with `--browser firefox`,
// Firefox ESR) with the extension (headless; `--headed` to watch) and runs the narrated resilience
// scenario; writes report/index.html.
import { findFirefox } from "./find-firefox.mjs";
import { runWithChromium } from "./run-with-chromium.mjs";

const args = process.argv.slice(2);
if (args.includes("--help")) {
  console.log("usage: npm start [-- --browser chromium|firefox] [--headed] [--skip-build] [--report <dir>]");
  process.exit(0);
}
const browserIndex = args.indexOf("--browser");
if (browserIndex >= 0 && args[browserIndex + 1] === "firefox") {
  try {
    console.log(`Firefox: ${findFirefox()}`);
  } catch (error) {
    console.error(error.message);
    process.exit(1);
  }
}
await runWithChromium("e2e/demo/cli.ts", args, { verbose: true });
