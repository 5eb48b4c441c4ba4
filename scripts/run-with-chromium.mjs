// The shared preamble of `npm start` and `npm run bench`: find (or install) a Chromium, build unless
// --skip-build, then run a TypeScript entry with tsx and CHROMIUM_PATH set; exits with its status.
import { spawnSync } from "node:child_process";
import { findChromium } from "./find-chromium.mjs";

/**
 * @param {string} entry  the tsx entry point, e.g. "e2e/demo/cli.ts"
 * @param {string[]} args  the command-line arguments (passed on to the entry)
 * @param {{ verbose?: boolean }} [options]  verbose: say which Chromium and that it builds
 */
export async function runWithChromium(entry, args, { verbose = false } = {}) {
  let chromium;
  try {
    chromium = await findChromium();
  } catch (error) {
    console.error(error.message);
    process.exit(1);
  }
  if (verbose) console.log(`Chromium: ${chromium}`);

  if (!args.includes("--skip-build")) {
    if (verbose) console.log("Building the extension and the SPA shell (npm run build)…");
    const build = spawnSync("npm", ["run", "--silent", "build"], { stdio: "inherit" });
    if (build.status !== 0) {
      if (verbose) console.error("The build failed; see above.");
      process.exit(build.status ?? 1);
    }
  }

  const run = spawnSync("npx", ["tsx", entry, ...args], { stdio: "inherit", env: { ...process.env, CHROMIUM_PATH: chromium } });
  process.exit(run.status ?? 1);
}
