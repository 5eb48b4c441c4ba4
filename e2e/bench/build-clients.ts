import { build } from "esbuild";
import { copyFileSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const SOURCE = resolve(import.meta.dirname, "../fixtures/bench-clients");

/** Bundles the three bench client pages (unmodified msal-browser nestable, plain msal-browser, naive) into a temp folder. */
export async function buildBenchClients(): Promise<string> {
  const out = mkdtempSync(join(tmpdir(), "bench-clients-"));
  const entries = readdirSync(SOURCE).filter((f) => f.endsWith(".ts") && f !== "bench-api.ts");
  await build({
    entryPoints: entries.map((f) => join(SOURCE, f)),
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    outdir: out,
    logLevel: "warning",
  });
  for (const html of readdirSync(SOURCE).filter((f) => f.endsWith(".html"))) copyFileSync(join(SOURCE, html), join(out, html));
  return out;
}
