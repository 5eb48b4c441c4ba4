import { describe, expect, it } from "vitest";
import type { AccountInfo } from "@azure/msal-browser";
import { signInRequest } from "./sign-in-request.js";

const account = { homeAccountId: "oid.tid", username: "adele@contoso.test" } as AccountInfo;

describe("signInRequest", () => {
  it("after a sign-out, asks the IdP for its account picker instead of reusing its session", () => {
    expect(signInRequest({ scopes: ["User.Read"], account: null, afterSignOut: true })).toEqual({ scopes: ["User.Read"], prompt: "select_account" });
  });

  it("a first sign-in lets the IdP reuse its session (SSO), with no prompt", () => {
    const request = signInRequest({ scopes: ["User.Read"], account: null, afterSignOut: false });
    expect(request).toEqual({ scopes: ["User.Read"] });
  });

  it("an app still signed in keeps its account and gets no picker, even after an earlier sign-out", () => {
    const request = signInRequest({ scopes: ["User.Read"], claims: '{"access_token":{}}', account, afterSignOut: true });
    expect(request).toEqual({ scopes: ["User.Read"], claims: '{"access_token":{}}', account });
    expect(request).not.toHaveProperty("prompt");
  });
});
