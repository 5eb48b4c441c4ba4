import { describe, expect, it } from "vitest";
import { AuthError, InteractionRequiredAuthError, ServerError } from "@azure/msal-browser";
import { AuthShellError, ERROR_CODES } from "../../../shared/errors.js";
import { encodeWait } from "../../../shared/protocol/naa-wait.js";
import { toShellError } from "./msal-errors.js";
import { describeError } from "./error-text.js";

describe("toShellError", () => {
  it("keeps the resilience failure our network module saw over MSAL's generic network error", () => {
    const seen = new AuthShellError("throttled", "paused", { retryAfterMs: 30_000 });
    expect(toShellError(new AuthError("network_error", "x"), seen)).toBe(seen);
  });

  it("maps interaction-required errors and keeps their claims", () => {
    const error = toShellError(new InteractionRequiredAuthError("invalid_grant", "", "AADSTS50173: revoked", undefined, undefined, undefined, '{"access_token":{}}'));
    expect(error.code).toBe("interaction_required");
    expect(error.claims).toBe('{"access_token":{}}');
  });

  it("maps a nested-app TRANSIENT_ERROR carrying our code and its wait; the message is the worker's sentence", () => {
    const error = toShellError(new ServerError("throttled", "", encodeWait("Throttled by the IdP.", 12_000)));
    expect(error.code).toBe("throttled");
    expect(error.retryAfterMs).toBe(12_000);
    expect(error.message).toBe("Throttled by the IdP.");
  });

  it("reads no wait out of prose: a number in the sentence is not a wait", () => {
    const error = toShellError(new ServerError("idp_unavailable", "", "The service was down for 30 s."));
    expect(error.retryAfterMs).toBeUndefined();
    expect(error.message).toBe("The service was down for 30 s.");
  });

  it("a sign-in window the browser blocked is popup_blocked, and its sentence says to sign in from a click", () => {
    // MSAL 5: window.open returned null (Chromium's popup blocker) or threw.
    for (const code of ["empty_window_error", "popup_window_error"]) {
      const error = toShellError(new AuthError(code, "Error opening popup window"));
      expect(error.code).toBe("popup_blocked");
      expect(describeError(error)).toBe("Your browser blocked the sign-in window. Select “Sign in” (a button or link) to open it.");
    }
  });

  it("a sign-in window left open until MSAL gives up is sign_in_timeout, not a problem at the sign-in service", () => {
    const error = toShellError(new AuthError("timed_out", "Timed out"));
    expect(error.code).toBe("sign_in_timeout");
    expect(describeError(error)).not.toContain("sign-in service");
  });

  it("maps MSAL's cancel and no-network codes", () => {
    expect(toShellError(new AuthError("user_cancelled", "")).code).toBe("user_cancelled");
    expect(toShellError(new AuthError("no_network_connectivity", "")).code).toBe("network_error");
    expect(toShellError(new AuthError("something_new", "odd")).code).toBe("idp_error");
  });
});

describe("describeError", () => {
  it("gives every error code a plain sentence that says what to do, with no token text", () => {
    for (const code of ERROR_CODES) {
      const sentence = describeError(new AuthShellError(code, "eyJhbGciOi.secret.token", { retryAfterMs: 7_000 }));
      expect(sentence.length).toBeGreaterThan(20);
      expect(sentence).not.toContain("eyJ");
      expect(sentence).toMatch(/\.$/);
    }
    expect(describeError(new AuthShellError("throttled", "", { retryAfterMs: 7_000 }))).toContain("7 s");
  });

  it("names the client ID for client_not_allowed and says where to add it (the site is already allowed)", () => {
    const sentence = describeError(new AuthShellError("client_not_allowed", "x"), undefined, { clientId: "2ffc5f25-9392-442a-93ff-be195186c310" });
    expect(sentence).toContain("client ID 2ffc5f25-9392-442a-93ff-be195186c310");
    expect(sentence).toMatch(/Add 2ffc5f25-9392-442a-93ff-be195186c310 to the site's client IDs under “Allowed sites” in the extension's options page/);
    expect(sentence).not.toMatch(/Allow the site in the extension's popup/);
    expect(describeError(new AuthShellError("client_not_allowed", "x"))).not.toContain("{clientId}");
  });
});
