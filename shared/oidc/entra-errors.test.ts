import { describe, expect, it } from "vitest";
import { aadstsCodeOf, mapEntraError } from "./entra-errors.js";

describe("mapEntraError", () => {
  it.each([
    [400, { error: "invalid_grant", error_description: "AADSTS70008: expired", error_codes: [70008] }, "invalid_grant"],
    [400, { error: "invalid_grant", error_codes: [50076] }, "interaction_required"],
    [400, { error: "invalid_grant", suberror: "consent_required" }, "consent_required"],
    [400, { error: "invalid_grant", suberror: "basic_action" }, "interaction_required"],
    [400, { error: "invalid_grant", suberror: "bad_token" }, "invalid_grant"],
    [400, { error: "interaction_required", error_description: "AADSTS53003: blocked by CA" }, "interaction_required"],
    [400, { error: "login_required" }, "login_required"],
    [400, { error: "consent_required", error_codes: [65001] }, "consent_required"],
    [400, { error: "access_denied", error_codes: [65004] }, "user_cancelled"],
    [400, { error: "invalid_request", error_codes: [50196] }, "throttled"],
    [400, { error: "invalid_scope", error_codes: [70011] }, "idp_error"],
    [400, { error: "invalid_client" }, "idp_error"],
    [400, { error: "temporarily_unavailable" }, "idp_unavailable"],
    [400, "not json", "invalid_response"],
    [401, {}, "invalid_response"],
    [429, { error: "invalid_grant" }, "throttled"],
    [500, { error: "server_error" }, "idp_unavailable"],
    [503, { error: "invalid_grant" }, "idp_unavailable"],
    [504, "", "idp_unavailable"],
  ] as const)("HTTP %i %j → %s", (status, body, code) => {
    expect(mapEntraError(status, typeof body === "string" ? body : JSON.stringify(body)).code).toBe(code);
  });

  it("keeps the IdP error, AADSTS code, suberror and correlation id, but not the free-text description", () => {
    const e = mapEntraError(400, {
      error: "invalid_grant",
      error_description: "AADSTS700084: The refresh token was issued to a single page app for user secret@x",
      suberror: "token_expired",
      correlation_id: "c-1",
    });
    expect(e).toMatchObject({ code: "invalid_grant", idpError: "invalid_grant", idpErrorCode: 700084, suberror: "token_expired", correlationId: "c-1" });
    expect(e.retryable).toBe(false);
    expect(e.message).not.toContain("secret@x");
    expect(mapEntraError(500, {}, "c-2")).toMatchObject({ retryable: true, correlationId: "c-2" });
  });

  it("finds AADSTS codes in error_codes or in the description", () => {
    expect(aadstsCodeOf({ error_codes: [50058] })).toBe(50058);
    expect(aadstsCodeOf({ error_description: "AADSTS65001: consent" })).toBe(65001);
    expect(aadstsCodeOf({ error_description: "nothing" })).toBeUndefined();
  });
});
