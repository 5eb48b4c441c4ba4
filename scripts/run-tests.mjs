#!/usr/bin/env node
// `npm test`: typecheck, lint, dead code (knip.config.ts), build, package checks, unit tests (vitest), end-to-end tests (Playwright).
// Ends with one line "N passed, N failed" summed over the unit and e2e tests.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { findFirefox } from "./find-firefox.mjs";

const results = "test-results";
rmSync(results, { recursive: true, force: true });
mkdirSync(results, { recursive: true });

let passed = 0;
let failed = 0;
const problems = [];

function step(title, command, args) {
  const started = Date.now();
  console.info(`\n▶ ${title}: ${command} ${args.join(" ")}`);
  const run = spawnSync(command, args, { stdio: "inherit", env: process.env });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const ok = run.status === 0;
  console.info(`${ok ? "✔" : "✘"} ${title} (${seconds} s)`);
  if (!ok) problems.push(title);
  return ok;
}

function readJson(path) {
  try {
    return JSON.parse(readFileSync(path, "utf8"));
  } catch {
    return undefined;
  }
}

step("typecheck", "npm", ["run", "--silent", "typecheck"]);
step("lint", "npm", ["run", "--silent", "lint"]);
step("dead code", "npx", ["knip"]);
const built = step("build", "npm", ["run", "--silent", "build"]);
// publint, attw, npm publish --dry-run, size budgets and API reports on the built packages.
if (built) step("package checks", "npm", ["run", "--silent", "check:packages"]);

step("unit tests", "npx", ["vitest", "run", "--reporter=default", "--reporter=json", `--outputFile.json=${results}/vitest.json`]);
const vitest = readJson(`${results}/vitest.json`);
if (vitest) {
  passed += vitest.numPassedTests;
  failed += vitest.numFailedTests;
} else {
  failed += 1;
  problems.push("unit tests produced no report");
}

const specs = existsSync("e2e/tests") ? readdirSync("e2e/tests", { recursive: true }).filter((f) => String(f).endsWith(".spec.ts")) : [];
if (!built) {
  console.info("\nSkipping e2e tests: the build failed.");
} else if (specs.length > 0) {
  // The Firefox leg (e2e/tests/firefox-*.spec.ts) fails, never skips, without Firefox: say why up front.
  try {
    console.info(`\nFirefox for the Firefox leg: ${findFirefox()}`);
  } catch (error) {
    console.info(`\n${error.message}`);
  }
  step("e2e tests", "npx", ["playwright", "test"]);
  const pw = readJson(`${results}/playwright.json`);
  if (pw?.stats) {
    passed += pw.stats.expected + pw.stats.flaky;
    failed += pw.stats.unexpected;
  } else {
    failed += 1;
    problems.push("e2e tests produced no report");
  }
}

if (problems.length > 0) console.info(`\nFailed steps: ${problems.join(", ")}`);
console.info(`${passed} passed, ${failed} failed`);
process.exit(problems.length > 0 || failed > 0 ? 1 : 0);
