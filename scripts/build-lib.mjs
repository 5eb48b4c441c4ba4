// The packages' library build (called by scripts/build.mjs): each entry point of
// scripts/entry-points.mjs → <package dir>/dist/lib/<entry>.js (ESM; every bare import stays external,
// so dependencies and peers resolve in the consumer's project) and its declarations under
// <package dir>/dist/types/. Bins (the emulator CLI) get a shebang and the executable bit.
import { chmodSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { spawnSync } from "node:child_process";
import { build } from "vite";
import { PACKAGES } from "./entry-points.mjs";

const root = resolve(import.meta.dirname, "..");
const isBare = (id) => !id.startsWith(".") && !id.startsWith("/") && !id.startsWith("\0") && !/^[A-Za-z]:[\\/]/.test(id);

async function buildEntries(platform, outDir, entries) {
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
        output: { chunkFileNames: `chunks/[name]-[hash].js` },
      },
    },
  });
}

async function buildPackage(pkg) {
  const dir = join(root, pkg.dir);
  const outDir = join(dir, "dist/lib");
  rmSync(outDir, { recursive: true, force: true });
  rmSync(join(dir, "dist/types"), { recursive: true, force: true });
  const entries = Object.fromEntries(Object.entries(pkg.entries).map(([name, entry]) => [name, join(root, entry.source)]));
  for (const [name, source] of Object.entries(pkg.bin ?? {})) entries[name] = join(root, source);
  await buildEntries(pkg.platform, outDir, entries);

  for (const name of Object.keys(pkg.bin ?? {})) {
    const bin = join(outDir, `${name}.js`);
    const text = readFileSync(bin, "utf8");
    if (!text.startsWith("#!")) writeFileSync(bin, `#!/usr/bin/env node\n${text}`);
    chmodSync(bin, 0o755);
  }

  const tsconfig = join(dir, "tsconfig.lib.json");
  const tsc = spawnSync(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-p", tsconfig], { stdio: "inherit" });
  if (tsc.status !== 0) throw new Error(`build: the declarations of ${pkg.dir} (tsc -p ${tsconfig}) failed`);
}

export async function buildLibrary() {
  for (const pkg of Object.values(PACKAGES)) await buildPackage(pkg);
}
