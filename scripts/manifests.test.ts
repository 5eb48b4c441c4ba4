import { createHash } from "node:crypto";
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { unzipSync } from "fflate";
import { afterAll, describe, expect, it } from "vitest";
import { EXTENSION_ID, EXTENSION_REDIRECT_URI, FIREFOX_REDIRECT_URI, GECKO_ID } from "../shared/config/extension-ids.js";
import { chromeManifest, firefoxManifest, zipDirectory, type Manifest } from "./manifests.mjs";

const root = JSON.parse(readFileSync(resolve(import.meta.dirname, "../manifest.json"), "utf8")) as Manifest;

/** Chrome's ID: the first 128 bits of SHA-256 of the public key, hex digits 0-f written a-p. */
function chromeIdOf(key: string): string {
  const hex = createHash("sha256").update(Buffer.from(key, "base64")).digest("hex").slice(0, 32);
  return [...hex].map((d) => String.fromCharCode(97 + parseInt(d, 16))).join("");
}

describe("the two manifests built from the root manifest.json", () => {
  it("Chrome keeps the service worker and the key of EXTENSION_ID, and no Gecko settings", () => {
    const chrome = chromeManifest(root);
    expect(chrome.background).toEqual({ service_worker: "background.js", type: "module" });
    expect(chromeIdOf(String(chrome.key))).toBe(EXTENSION_ID);
    expect(EXTENSION_REDIRECT_URI).toBe(`https://${EXTENSION_ID}.chromiumapp.org/`);
    expect(chrome).not.toHaveProperty("browser_specific_settings");
  });

  it("Firefox gets an event page, the fixed Gecko ID of FIREFOX_REDIRECT_URI and no Chrome-only keys", () => {
    const firefox = firefoxManifest(root);
    expect(firefox.background).toEqual({ scripts: ["background.js"], type: "module" });
    expect(firefox.browser_specific_settings).toEqual({ gecko: { id: GECKO_ID, strict_min_version: "128.0" } });
    expect(FIREFOX_REDIRECT_URI).toBe(`https://${createHash("sha1").update(GECKO_ID).digest("hex")}.extensions.allizom.org/`);
    for (const chromeOnly of ["key", "minimum_chrome_version", "options_page"]) expect(firefox).not.toHaveProperty(chromeOnly);
    expect(firefox.options_ui).toEqual({ page: root.options_page, open_in_tab: true });
    // Everything else is the same source.
    expect(firefox.permissions).toEqual(root.permissions);
    expect(firefox.host_permissions).toEqual(root.host_permissions);
    expect(firefox.optional_host_permissions).toEqual(root.optional_host_permissions);
  });

  it("refuses a root manifest that lost the facts an engine's identity rests on", () => {
    const { key: _key, ...keyless } = root;
    expect(() => chromeManifest(keyless)).toThrow(/key/);
    const { browser_specific_settings: _gecko, ...geckoless } = root;
    expect(() => firefoxManifest(geckoless)).toThrow(/gecko\.id/);
  });
});

describe("zipDirectory", () => {
  const dir = mkdtempSync(join(tmpdir(), "rtb-xpi-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("zips every file with paths relative to the directory (manifest.json at the root), the same bytes each time", () => {
    writeFileSync(join(dir, "manifest.json"), "{}");
    mkdirSync(join(dir, "_locales/en"), { recursive: true });
    writeFileSync(join(dir, "_locales/en/messages.json"), '{"a":1}');
    const zip = zipDirectory(dir);
    const files = unzipSync(zip);
    expect(Object.keys(files).sort()).toEqual(["_locales/en/messages.json", "manifest.json"]);
    expect(new TextDecoder().decode(files["_locales/en/messages.json"])).toBe('{"a":1}');
    expect(zipDirectory(dir)).toEqual(zip);
  });
});
