import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { bundleEntries } from "../../e2e/support/unit/bundle-entry.js";

const english = (file: string): Record<string, string> => JSON.parse(readFileSync(new URL(`../locales/en/${file}`, import.meta.url), "utf8"));

// The library's settings check ships its English refusal sentences (settings-sentences.ts); the
// options page's other texts are no use to another extension, yet were once all bundled (2 kB gz).
describe("the extension-broker bundle", () => {
  it("ships the validator's sentences and none of the options page's texts", async () => {
    const code = await bundleEntries(["extension/broker/index.ts"]);
    expect(code).toContain(english("validation.json").options_scopes_too_many);
    for (const [file, key] of [
      ["options.json", "options_check_700016"],
      ["options.json", "options_registration_heading"],
      ["grants.json", "grants_allow_site_named"],
    ] as const) {
      expect(code, key).not.toContain(english(file)[key]);
    }
  });
});
