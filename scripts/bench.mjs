#!/usr/bin/env node
// `npm run bench`: the side-by-side benchmark (extension broker vs plain MSAL vs a naive client) and
// the component benches, in one run against one emulator. Prints a table and ratios; writes bench/results.json.
import { runWithChromium } from "./run-with-chromium.mjs";

await runWithChromium("e2e/bench/cli.ts", process.argv.slice(2));
