import { describe, expect, it } from "vitest";
import { validateGrant, validateSettings } from "../../shared/config/validate-settings.js";
import { settingsSentence } from "./settings-sentences.js";

// Outside this extension there is no chrome.i18n with our messages: the library's English texts answer.
describe("settingsSentence in another extension", () => {
  it("gives the settings validator's refusals as English sentences, substitutions filled", () => {
    const result = validateSettings({ authority: "https://example.com", clientId: "not-a-guid", defaultScopes: "" }, settingsSentence);
    expect(result.ok).toBe(false);
    const refusals = result.ok ? {} : result.refusals;
    expect(Object.keys(refusals).sort()).toEqual(["authority", "clientId", "defaultScopes"]);
    for (const sentence of Object.values(refusals)) {
      expect(sentence).not.toMatch(/^(options|grants)_|\$[1-9]/);
    }
    expect(refusals.authority).toContain("example.com");
    expect(refusals.clientId).toContain("not-a-guid");
  });

  it("gives the grant validator's refusals too", () => {
    const result = validateGrant({ origin: "example.com/path", clientIds: "" }, settingsSentence);
    const refusals = result.ok ? {} : result.refusals;
    expect(refusals.origin).toMatch(/^[A-Z“„]/);
    expect(refusals.origin).not.toMatch(/^grants_/);
  });

  it("shows an unknown key as itself, never as an empty string", () => {
    expect(settingsSentence("options_no_such_key", "x")).toBe("options_no_such_key x");
  });
});
