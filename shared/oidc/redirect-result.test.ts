import { describe, expect, it } from "vitest";
import { parseRedirectResult } from "./redirect-result.js";

const R = "https://x.chromiumapp.org/";

describe("parseRedirectResult", () => {
  it("reads code and state from the fragment or the query", () => {
    expect(parseRedirectResult(`${R}#code=abc&state=s1&client_info=eyJ9`, "s1")).toEqual({ code: "abc", state: "s1", clientInfo: "eyJ9" });
    expect(parseRedirectResult(`${R}?code=abc&state=s1`, "s1")).toEqual({ code: "abc", state: "s1" });
  });

  it("checks state before anything else: 'state_mismatch'", () => {
    for (const url of [`${R}#code=abc&state=other`, `${R}#code=abc`, `${R}#error=login_required&state=x`]) {
      expect(() => parseRedirectResult(url, "s1")).toThrow(expect.objectContaining({ code: "state_mismatch" }));
    }
  });

  it("maps IdP error parameters", () => {
    const url = `${R}#error=login_required&error_description=AADSTS50058%3A+A+silent+sign-in+request+was+sent&state=s1`;
    expect(() => parseRedirectResult(url, "s1")).toThrow(
      expect.objectContaining({ code: "login_required", idpError: "login_required", idpErrorCode: 50058 }),
    );
    const consent = `${R}?error=interaction_required&suberror=consent_required&error_codes=%5B65001%5D&state=s1`;
    expect(() => parseRedirectResult(consent, "s1")).toThrow(expect.objectContaining({ code: "consent_required", suberror: "consent_required" }));
  });

  it("rejects a response without a code, and a non-URL", () => {
    expect(() => parseRedirectResult(`${R}#state=s1`, "s1")).toThrow(expect.objectContaining({ code: "invalid_response" }));
    expect(() => parseRedirectResult("::", "s1")).toThrow(expect.objectContaining({ code: "invalid_response" }));
  });
});
