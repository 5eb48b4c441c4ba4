// One root manifest.json, two engines. The root file holds every key either engine needs; each build
// drops what the other engine's keys would only cause warnings or refusals for (docs/firefox.md).
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { zipSync } from "fflate";

/** Chrome: the service worker and the `key` that fixes the extension ID; no Gecko settings. */
export function chromeManifest(root) {
  if (!root.key) throw new Error("manifest.json lost its `key`: the Chrome extension ID would change");
  if (!root.background?.service_worker) throw new Error("manifest.json must name background.service_worker");
  const { browser_specific_settings: _gecko, ...chrome } = structuredClone(root);
  return chrome;
}

/**
 * Firefox: an event page (`background.scripts`; Firefox refuses `service_worker`), the fixed Gecko ID
 * its redirect URI is derived from, and no Chrome-only keys (`key`, `minimum_chrome_version`).
 * `options_ui` with `open_in_tab` is the key Firefox documents (`options_page` is its legacy alias).
 */
export function firefoxManifest(root) {
  const gecko = root.browser_specific_settings?.gecko;
  if (!gecko?.id) throw new Error("manifest.json must name browser_specific_settings.gecko.id: the Firefox redirect URI is derived from it");
  if (!gecko.strict_min_version) throw new Error("manifest.json must name browser_specific_settings.gecko.strict_min_version");
  const { key: _key, minimum_chrome_version: _min, options_page: optionsPage, ...firefox } = structuredClone(root);
  firefox.background = { scripts: [root.background.service_worker], type: root.background.type ?? "module" };
  if (optionsPage) firefox.options_ui = { page: optionsPage, open_in_tab: true };
  return firefox;
}

/** The bytes of an .xpi (a plain zip, manifest.json at its root) of an unpacked extension directory. */
export function zipDirectory(dir) {
  const files = {};
  for (const name of readdirSync(dir, { recursive: true }).map(String).sort()) {
    const path = join(dir, name);
    if (statSync(path).isFile()) files[relative(dir, path).split(sep).join("/")] = readFileSync(path);
  }
  // A fixed timestamp: the same sources zip to the same bytes.
  return zipSync(files, { level: 9, mtime: new Date("2026-01-01T00:00:00Z") });
}
