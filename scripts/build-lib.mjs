// The package's library build (called by scripts/build.mjs): each entry point of
// scripts/entry-points.mjs → dist/lib/<entry>.js (ESM; every bare import stays external, so
// dependencies and peers resolve in the consumer's project) and its declarations under dist/types/.
// The emulator CLI becomes the `entra-emulator` bin.
import { chmodSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { spawnSync } from "node:child_process";
import { build } from "vite";
import { ENTRY_POINTS } from "./entry-points.mjs";

const root = resolve(import.meta.dirname, "..");
const outDir = join(root, "dist/lib");
const isBare = (id) => !id.startsWith(".") && !id.startsWith("/") && !id.startsWith("\0") && !/^[A-Za-z]:[\\/]/.test(id);

async function buildPlatform(platform, entries) {
  await build({
    logLevel: "warn",
    configFile: false,
    root,
    build: {
      outDir,
      emptyOutDir: false,
      copyPublicDir: false,
      minify: false,
      sourcemap: true,
      target: platform === "node" ? "node20" : "es2022",
      ssr: platform === "node",
      lib: { entry: entries, formats: ["es"], fileName: (_format, name) => `${name}.js` },
      rolldownOptions: {
        external: isBare,
        output: { chunkFileNames: `chunks/${platform}-[name]-[hash].js` },
      },
    },
  });
}

export async function buildLibrary() {
  rmSync(outDir, { recursive: true, force: true });
  rmSync(join(root, "dist/types"), { recursive: true, force: true });
  const byPlatform = { browser: {}, node: {} };
  for (const [name, entry] of Object.entries(ENTRY_POINTS)) byPlatform[entry.platform][name] = join(root, entry.source);
  byPlatform.node["entra-emulator"] = join(root, "e2e/emulator/cli.ts");
  await buildPlatform("browser", byPlatform.browser);
  await buildPlatform("node", byPlatform.node);

  const bin = join(outDir, "entra-emulator.js");
  const text = readFileSync(bin, "utf8");
  if (!text.startsWith("#!")) writeFileSync(bin, `#!/usr/bin/env node\n${text}`);
  chmodSync(bin, 0o755);

  const tsc = spawnSync(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-p", join(root, "tsconfig.lib.json")], { stdio: "inherit" });
  if (tsc.status !== 0) throw new Error("build: the library's declarations (tsc -p tsconfig.lib.json) failed");
}
