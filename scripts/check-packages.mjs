#!/usr/bin/env node
// `npm run check:packages` (a step of `npm test`, after the build): the ecosystem's gates on both
// packages of scripts/entry-points.mjs, as a user or a registry meets them.
// - publint: package.json `exports`/`files` point at files the tarball has, in the right formats.
// - attw (--pack, esm-only profile): every entry's types resolve under node16 (from ESM) and bundler.
// - npm publish --dry-run: the registry would take the tarball, and npm has nothing to correct.
// - size-limit (.size-limit.js): the gzipped size budgets.
// - api-extractor (scripts/api-report.mjs): each entry's public API matches its committed report.
// Exits non-zero when any gate fails; every gate runs, so one run shows every problem.
import { spawnSync } from "node:child_process";
import { join, resolve } from "node:path";
import { PACKAGES } from "./entry-points.mjs";

const root = resolve(import.meta.dirname, "..");
const failures = [];

function gate(title, command, args, { cwd = root, refuse } = {}) {
  console.info(`\n▶ ${title}: ${command} ${args.join(" ")}`);
  const run = spawnSync(command, args, { cwd, encoding: "utf8", env: process.env });
  const output = `${run.stdout ?? ""}${run.stderr ?? ""}`;
  process.stdout.write(output);
  const refused = refuse?.(output);
  if (run.status !== 0 || refused) {
    failures.push(title);
    console.info(`✘ ${title}${refused ? `: ${refused}` : ""}`);
  } else {
    console.info(`✔ ${title}`);
  }
}

for (const [name, pkg] of Object.entries(PACKAGES)) {
  const dir = join(root, pkg.dir);
  gate(`publint ${name}`, "npx", ["--no-install", "publint", "--strict", dir]);
  gate(`attw ${name}`, "npx", ["--no-install", "attw", "--pack", dir, "--profile", "esm-only", "--format", "table-flipped"]);
  gate(`npm publish --dry-run ${name}`, "npm", ["publish", "--dry-run", "--ignore-scripts"], {
    cwd: dir,
    // npm "auto-corrects" a package.json it would publish differently (a bin path, a repository URL):
    // a clean publish has nothing to correct. Not being logged in is this machine's state, not the package's.
    refuse: (output) => (output.split("\n").some((line) => /^npm warn/i.test(line) && !/requires you to be logged in/.test(line)) ? "npm warned (see above)" : undefined),
  });
}
gate("size budgets", "npx", ["--no-install", "size-limit"]);
gate("API reports", process.execPath, [join(root, "scripts/api-report.mjs")]);

if (failures.length > 0) {
  console.info(`\nPackage checks failed: ${failures.join(", ")}`);
  process.exit(1);
}
console.info("\nPackage checks passed.");
