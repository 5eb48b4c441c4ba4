#!/usr/bin/env node
// `npm run check:msal` (R12): is the installed @azure/msal-browser the newest published one, and does
// our Nested App Auth bridge still speak the installed MSAL's protocol? Informational: exits 0 when
// MSAL is behind or the registry is unreachable; exits 1 only with --strict and a failing NAA test.
// Flags: --no-test (version check only), --e2e (also run the NAA acceptance e2e specs against the
// built extension; needs npm run build), --strict.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync } from "node:fs";

const PACKAGE = "@azure/msal-browser";
const strict = process.argv.includes("--strict");
const skipTest = process.argv.includes("--no-test");
const withE2e = process.argv.includes("--e2e");

function installedVersion() {
  try {
    return JSON.parse(readFileSync(`node_modules/${PACKAGE}/package.json`, "utf8")).version;
  } catch {
    return undefined;
  }
}

function declaredRange() {
  const pkg = JSON.parse(readFileSync("package.json", "utf8"));
  return pkg.dependencies?.[PACKAGE] ?? pkg.devDependencies?.[PACKAGE];
}

function latestVersion() {
  const run = spawnSync("npm", ["view", PACKAGE, "version", "--silent"], { encoding: "utf8", timeout: 20_000 });
  const version = run.stdout?.trim();
  if (run.status === 0 && /^\d+\.\d+\.\d+/.test(version ?? "")) return { version };
  const reason = run.error?.code === "ETIMEDOUT" ? "the registry did not answer in 20 s" : (run.stderr || "npm view failed").trim().split("\n").pop();
  return { error: reason };
}

function compare(a, b) {
  const pa = a.split(/[.-]/).map((x) => Number.parseInt(x, 10) || 0);
  const pb = b.split(/[.-]/).map((x) => Number.parseInt(x, 10) || 0);
  for (let i = 0; i < 3; i++) if (pa[i] !== pb[i]) return pa[i] - pb[i];
  return 0;
}

/** The NAA conformance tests: the protocol pin (unit) and the extension's NAA e2e spec, if present. */
function conformanceTests() {
  const unit = [];
  const walk = (dir) => {
    if (!existsSync(dir)) return;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory()) walk(path);
      else if (/naa.*\.test\.ts$/.test(entry.name) || /msal.*pin.*\.test\.ts$/.test(entry.name)) unit.push(path);
    }
  };
  walk("shared/protocol");
  walk("extension");
  const e2e = existsSync("e2e/tests") ? readdirSync("e2e/tests").filter((f) => /naa|nestable|bridge|extension-msal|web-extension/.test(f) && f.endsWith(".spec.ts")) : [];
  return { unit, e2e: e2e.map((f) => `e2e/tests/${f}`) };
}

function run(command, args) {
  const started = Date.now();
  const result = spawnSync(command, args, { encoding: "utf8", env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" } });
  const output = `${result.stdout ?? ""}${result.stderr ?? ""}`;
  const summary = output.split("\n").filter((l) => /Tests\s+\d|passed|failed/.test(l)).slice(-2).map((l) => l.trim().replace(/\s+/g, " ")).join(" | ");
  return { ok: result.status === 0, seconds: ((Date.now() - started) / 1000).toFixed(1), summary };
}

const installed = installedVersion();
const range = declaredRange();
console.log(`${PACKAGE}`);
console.log(`  declared in package.json : ${range ?? "(not declared)"}`);
console.log(`  installed                : ${installed ?? "(not installed — run npm ci)"}`);
const latest = latestVersion();
if (latest.version) {
  console.log(`  newest on the registry   : ${latest.version}`);
  if (installed && compare(installed, latest.version) < 0) {
    const major = Number.parseInt(latest.version, 10) > Number.parseInt(installed, 10);
    console.log(`  → behind${major ? " by a MAJOR version (read the migration guide first)" : ""}: npm install ${PACKAGE}@${latest.version}, then npm run check:msal again`);
  } else if (installed) {
    console.log("  → up to date");
  }
} else {
  console.log(`  newest on the registry   : unknown (${latest.error}); offline? the check continues`);
}

let failed = false;
if (skipTest) {
  console.log("NAA conformance: skipped (--no-test)");
} else {
  const { unit, e2e } = conformanceTests();
  if (unit.length === 0 && e2e.length === 0) console.log("NAA conformance: no conformance test found");
  if (unit.length > 0) {
    const r = run("npx", ["vitest", "run", ...unit]);
    console.log(`NAA protocol pin (${unit.join(", ")}): ${r.ok ? "PASS" : "FAIL"} in ${r.seconds} s ${r.summary}`);
    failed ||= !r.ok;
  }
  if (e2e.length > 0 && withE2e && existsSync("dist/extension/manifest.json")) {
    const r = run("npx", ["playwright", "test", ...e2e, "--reporter=line"]);
    console.log(`NAA e2e with the installed MSAL (${e2e.join(", ")}): ${r.ok ? "PASS" : "FAIL"} in ${r.seconds} s ${r.summary}`);
    failed ||= !r.ok;
  } else if (e2e.length > 0) {
    console.log(`NAA e2e (${e2e.join(", ")}): not run — add --e2e${existsSync("dist/extension/manifest.json") ? "" : " after npm run build"}`);
  }
  if (failed) console.log("→ The installed MSAL speaks a protocol our bridge does not match: see README, Upgrading MSAL.");
}
process.exit(strict && failed ? 1 : 0);
