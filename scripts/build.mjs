#!/usr/bin/env node
// `npm run build`: the unpacked MV3 extension → dist/extension/ (Chrome) and dist/extension-firefox/ +
// dist/extension-firefox.xpi (Firefox: the same files, its own manifest), and the SPA → dist/web/.
// One Vite build per entry type: the service worker (one ES module), each content script (a single-file
// IIFE with no imports), and the React popup + options pages. Prints each step and the output sizes.
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { gzipSync } from "node:zlib";
import { build } from "vite";
import react from "@vitejs/plugin-react";
import { entryAliases } from "./entry-points.mjs";
import { buildLibrary } from "./build-lib.mjs";
import { chromeMessages, localesDir, readLocales } from "./locales.mjs";
import { chromeManifest, firefoxManifest, zipDirectory } from "./manifests.mjs";

const root = resolve(import.meta.dirname, "..");
const outDir = join(root, "dist/extension");
const firefoxDir = join(root, "dist/extension-firefox");
const firefoxXpi = join(root, "dist/extension-firefox.xpi");
const started = Date.now();
const quiet = { logLevel: "warn", configFile: false, root, resolve: { alias: entryAliases() } };

function step(title) {
  const t0 = Date.now();
  console.info(`build: ${title}…`);
  return () => console.info(`build: ${title} done (${Date.now() - t0} ms)`);
}

/** A single-file bundle: the service worker (ES module) or a content script (IIFE). */
async function bundle(entry, fileName, format) {
  await build({
    ...quiet,
    build: {
      outDir,
      emptyOutDir: false,
      copyPublicDir: false,
      minify: true,
      sourcemap: false,
      target: "chrome116",
      lib: { entry: join(root, entry), formats: [format], name: "rtb", fileName: () => fileName },
      rolldownOptions: { output: { codeSplitting: false } },
    },
  });
}

async function buildPages() {
  await build({
    ...quiet,
    root: join(root, "extension/ui"),
    base: "./",
    plugins: [react()],
    build: {
      outDir,
      emptyOutDir: false,
      copyPublicDir: false,
      target: "chrome116",
      modulePreload: { polyfill: false },
      rolldownOptions: {
        input: { popup: join(root, "extension/ui/popup.html"), options: join(root, "extension/ui/options.html") },
      },
    },
  });
}

rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });

let done = step("manifest.json");
const rootManifest = JSON.parse(readFileSync(join(root, "manifest.json"), "utf8"));
const manifest = chromeManifest(rootManifest);
writeFileSync(join(outDir, "manifest.json"), JSON.stringify(manifest, null, 2));
if (manifest.storage?.managed_schema) {
  writeFileSync(join(outDir, manifest.storage.managed_schema), readFileSync(join(root, "extension", manifest.storage.managed_schema)));
}
done();

done = step("_locales (extension/locales/<lang>/*.json)");
const locales = localesDir(root) ? readLocales(localesDir(root)) : {};
if (manifest.default_locale && !locales[manifest.default_locale]) throw new Error(`manifest.json names default_locale "${manifest.default_locale}", but extension/locales/${manifest.default_locale}/ does not exist`);
for (const [lang, messages] of Object.entries(locales)) {
  mkdirSync(join(outDir, "_locales", lang), { recursive: true });
  writeFileSync(join(outDir, "_locales", lang, "messages.json"), JSON.stringify(chromeMessages(messages), null, 2));
}
done();

done = step("service worker, content scripts, popup + options");
await Promise.all([
  bundle("extension/background/main.ts", "background.js", "es"),
  bundle("extension/content/naa-bridge.main.ts", "naa-bridge.main.js", "iife"),
  bundle("extension/content/relay.isolated.ts", "relay.isolated.js", "iife"),
  buildPages(),
]);
done();

for (const script of ["naa-bridge.main.js", "relay.isolated.js"]) {
  const text = readFileSync(join(outDir, script), "utf8");
  if (/^\s*import[\s{*]|\bimport\(/m.test(text)) throw new Error(`${script} must be a single file with no imports`);
}

function listFiles(dir) {
  return readdirSync(dir, { recursive: true })
    .map((f) => join(dir, String(f)))
    .filter((f) => statSync(f).isFile())
    .sort();
}
done = step("Firefox: dist/extension-firefox/ and dist/extension-firefox.xpi");
rmSync(firefoxDir, { recursive: true, force: true });
cpSync(outDir, firefoxDir, { recursive: true });
writeFileSync(join(firefoxDir, "manifest.json"), JSON.stringify(firefoxManifest(rootManifest), null, 2));
writeFileSync(firefoxXpi, zipDirectory(firefoxDir));
done();

for (const file of [...listFiles(outDir), firefoxXpi]) {
  const bytes = readFileSync(file);
  const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
  console.info(`  ${relative(root, file).padEnd(48)} ${kb(bytes.length).padStart(9)}  gzip ${kb(gzipSync(bytes).length).padStart(8)}`);
}

if (existsSync(join(root, "web/index.html")) && existsSync(join(root, "vite.config.ts"))) {
  done = step("web (vite.config.ts → dist/web, and --mode test → dist/web-test)");
  // The production demo, and a copy with the e2e test hooks (window.__authShell) that only the tests,
  // the demo scenario and the bench serve: the hooks are switched on at build time, never by a query.
  await build({ root, configFile: join(root, "vite.config.ts"), logLevel: "warn" });
  await build({ root, configFile: join(root, "vite.config.ts"), logLevel: "warn", mode: "test", build: { outDir: join(root, "dist/web-test") } });
  for (const file of listFiles(join(root, "dist/web")).filter((f) => f.endsWith(".js"))) {
    if (readFileSync(file, "utf8").includes("__authShell")) throw new Error(`${relative(root, file)}: the test hooks leaked into the production build`);
  }
  done();
}
done = step("library entry points (dist/lib, dist/types)");
await buildLibrary();
done();
console.info(`build: finished in ${Date.now() - started} ms`);
