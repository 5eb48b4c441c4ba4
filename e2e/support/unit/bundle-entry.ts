import { build } from "esbuild";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");

/**
 * What an app's bundler keeps of the given entry sources (repository-relative `index.ts` paths):
 * bundled, tree-shaken and minified as a consumer's esbuild would, with the peers left out. For
 * tests that a public entry carries no code its users cannot reach; the byte budgets are
 * .size-limit.js's.
 */
export async function bundleEntries(sources: string[], external: string[] = ["@azure/msal-browser", "react", "react-dom"]): Promise<string> {
  const result = await build({
    stdin: { contents: sources.map((source) => `export * from "./${source}";`).join("\n"), resolveDir: root, loader: "ts" },
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    write: false,
    external,
    logLevel: "silent",
  });
  return result.outputFiles[0]!.text;
}
