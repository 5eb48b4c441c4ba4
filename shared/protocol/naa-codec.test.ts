import { describe, expect, it } from "vitest";
import { AuthShellError, ERROR_CODES } from "../errors.js";
import { buildInitContext, buildNaaError, buildNaaSuccess, parseNaaRequest, peekRequestId, toTokenRequest, type NaaTokenSource } from "./naa-codec.js";
import { naaStatusFor, toNaaBridgeError } from "./naa-status.js";
import { NAA_MAX_REQUEST_CHARS, NaaStatus, type NaaRequest } from "./naa-wire.js";

/** A request exactly as msal-browser's BridgeProxy.buildRequest + NestedAppAuthAdapter build it. */
function msalRequest(method = "GetToken", tokenParams: Record<string, unknown> | null = {}) {
  return JSON.stringify({
    messageType: "NestedAppAuthRequest",
    method,
    requestId: "0195d1a2-7f1e-7c3b-9a7e-1b2c3d4e5f60",
    sendTime: 1767225600000,
    clientLibrary: "msal.js.browser",
    clientLibraryVersion: "5.30.0",
    ...(tokenParams
      ? {
          tokenParams: {
            platformBrokerId: "oid-1.tid-1",
            clientId: "client-1",
            scope: "User.Read openid profile",
            correlationId: "corr-1",
            claims: '{"id_token":{"signin_state":{"essential":false,"values":["kmsi"]}}}',
            authenticationScheme: "Bearer",
            extraParameters: new Map([["a", "b"]]), // serialises to {} as in MSAL
            ...tokenParams,
          },
        }
      : {}),
  });
}

function expectError(result: unknown, code = "invalid_request"): void {
  expect(result).toBeInstanceOf(AuthShellError);
  expect((result as AuthShellError).code).toBe(code);
}

describe("toTokenRequest", () => {
  it("maps GetToken to a silent request and GetTokenPopup to an interactive one, ignoring the page's authority", () => {
    const silent = toTokenRequest(parseNaaRequest(msalRequest("GetToken", { authority: "https://evil.example/t", forceRefresh: true })) as NaaRequest);
    expect(silent).toEqual({
      scopes: ["User.Read", "openid", "profile"],
      clientId: "client-1",
      allowInteraction: false,
      claims: '{"id_token":{"signin_state":{"essential":false,"values":["kmsi"]}}}',
      forceRefresh: true,
      homeAccountId: "oid-1.tid-1",
      correlationId: "corr-1",
    });
    const popup = toTokenRequest(parseNaaRequest(msalRequest("GetTokenPopup", { platformBrokerId: undefined, claims: undefined })) as NaaRequest);
    expect(popup).toMatchObject({ allowInteraction: true });
    expect(popup).not.toHaveProperty("homeAccountId");
    expectError(toTokenRequest(parseNaaRequest(msalRequest("GetInitContext", null)) as NaaRequest));
  });

  it("carries a login hint, top-level or as the login_hint extra parameter, to name the account", () => {
    const top = toTokenRequest(parseNaaRequest(msalRequest("GetToken", { platformBrokerId: undefined, loginHint: " alex@contoso.test " })) as NaaRequest);
    expect(top).toMatchObject({ loginHint: "alex@contoso.test" });
    expect(top).not.toHaveProperty("homeAccountId");
    const extra = toTokenRequest(parseNaaRequest(msalRequest("GetToken", { extraParameters: { login_hint: "alex@contoso.test" } })) as NaaRequest);
    expect(extra).toMatchObject({ loginHint: "alex@contoso.test", homeAccountId: "oid-1.tid-1" });
    expect(toTokenRequest(parseNaaRequest(msalRequest("GetToken", { loginHint: "  " })) as NaaRequest)).not.toHaveProperty("loginHint");
  });
});

describe("parseNaaRequest", () => {
  it("accepts MSAL's GetToken / GetTokenPopup / GetInitContext requests", () => {
    const r = parseNaaRequest(msalRequest()) as NaaRequest;
    expect(r.method).toBe("GetToken");
    expect(r.tokenParams).toEqual({
      platformBrokerId: "oid-1.tid-1",
      clientId: "client-1",
      scope: "User.Read openid profile",
      correlationId: "corr-1",
      claims: '{"id_token":{"signin_state":{"essential":false,"values":["kmsi"]}}}',
      authenticationScheme: "Bearer",
      extraParameters: {},
    });
    expect((parseNaaRequest(msalRequest("GetTokenPopup")) as NaaRequest).method).toBe("GetTokenPopup");
    expect((parseNaaRequest(msalRequest("GetInitContext", null)) as NaaRequest).tokenParams).toBeUndefined();
  });

  it("drops unknown fields (the payload is rebuilt)", () => {
    const raw = JSON.parse(msalRequest()) as Record<string, unknown>;
    raw.evil = "x";
    (raw.tokenParams as Record<string, unknown>).refresh_token = "stolen";
    const r = parseNaaRequest(JSON.stringify(raw)) as NaaRequest;
    expect(r).not.toHaveProperty("evil");
    expect(r.tokenParams).not.toHaveProperty("refresh_token");
  });

  it("rejects oversize, non-JSON, wrong-type, and incomplete requests", () => {
    expectError(parseNaaRequest("x".repeat(NAA_MAX_REQUEST_CHARS + 1)));
    expectError(parseNaaRequest("{"));
    expectError(parseNaaRequest(42 as unknown as string));
    expectError(parseNaaRequest(JSON.stringify({ messageType: "Other", method: "GetToken", requestId: "1" })));
    expectError(parseNaaRequest(JSON.stringify({ messageType: "NestedAppAuthRequest", method: "Nope", requestId: "1" })));
    expectError(parseNaaRequest(msalRequest("GetToken", null)));
    expectError(parseNaaRequest(msalRequest("GetToken", { scope: "  " })));
    expectError(parseNaaRequest(msalRequest("GetToken", { clientId: "" })));
    expectError(parseNaaRequest(msalRequest("GetToken", { authenticationScheme: "pop" })));
    expectError(parseNaaRequest(msalRequest("GetToken", { forceRefresh: "yes" })));
  });

  it("rejects a claims request that is not a JSON object (it was served as if there were none)", () => {
    expectError(parseNaaRequest(msalRequest("GetToken", { claims: "{not json" })));
    expectError(parseNaaRequest(msalRequest("GetToken", { claims: "[1]" })));
    expectError(parseNaaRequest(msalRequest("GetToken", { claims: "null" })));
    expect(parseNaaRequest(msalRequest("GetToken", { claims: '{"access_token":{"nbf":{"essential":true,"value":"1"}}}' }))).not.toBeInstanceOf(AuthShellError);
  });

  it("peeks the requestId of a bad request so it can still be answered", () => {
    expect(peekRequestId(JSON.stringify({ requestId: "r1", method: "Nope" }))).toBe("r1");
    expect(peekRequestId("{")).toBeUndefined();
    expect(peekRequestId(JSON.stringify({ requestId: 5 }))).toBeUndefined();
    expect(peekRequestId("x".repeat(NAA_MAX_REQUEST_CHARS + 1))).toBeUndefined();
  });
});

const token: NaaTokenSource = {
  accessToken: "AT",
  idToken: "h.p.s",
  scopes: ["user.read"],
  expiresOn: 1_000_000 + 3_599_500,
  account: {
    homeAccountId: "oid-1.tid-1",
    localAccountId: "oid-1",
    tenantId: "tid-1",
    username: "adele@contoso.test",
    name: "Adele",
    environment: "login.microsoftonline.com",
    idTokenClaims: { tid: "tid-1" },
  },
};

describe("NAA responses", () => {
  it("builds a success response in msal's BridgeResponseEnvelope shape", () => {
    expect(JSON.parse(buildNaaSuccess("r1", token, 1_000_000))).toEqual({
      messageType: "NestedAppAuthResponse",
      requestId: "r1",
      success: true,
      token: { access_token: "AT", expires_in: 3599, id_token: "h.p.s", properties: null, scope: "user.read" },
      account: {
        homeAccountId: "oid-1.tid-1",
        environment: "login.microsoftonline.com",
        tenantId: "tid-1",
        username: "adele@contoso.test",
        localAccountId: "oid-1",
        loginHint: "adele@contoso.test",
        name: "Adele",
        idTokenClaims: { tid: "tid-1" },
      },
    });
  });

  it("builds the init context, with the account context when signed in", () => {
    expect(JSON.parse(buildInitContext("r0", { sdkName: "rtb", sdkVersion: "1" }))).toEqual({
      messageType: "NestedAppAuthResponse",
      requestId: "r0",
      success: true,
      initContext: { capabilities: { queryAccount: false }, sdkName: "rtb", sdkVersion: "1" },
    });
    const withAccount = JSON.parse(buildInitContext("r0", { sdkName: "rtb", sdkVersion: "1", account: token.account }));
    expect(withAccount.initContext.accountContext).toEqual({
      homeAccountId: "oid-1.tid-1",
      environment: "login.microsoftonline.com",
      tenantId: "tid-1",
    });
  });

  it("puts Retry-After / backoff waits into TRANSIENT_ERROR's description and properties", () => {
    const e = new AuthShellError("throttled", "Throttled by idp", { retryAfterMs: 29_500, correlationId: "c1" });
    const r = JSON.parse(buildNaaError("r2", e));
    expect(r).toMatchObject({ messageType: "NestedAppAuthResponse", requestId: "r2", success: false });
    expect(r.error).toEqual({
      status: "TRANSIENT_ERROR",
      code: "throttled",
      description: "Throttled by idp (retry after 30 s) [retryAfterMs=29500]",
      properties: { code: "throttled", retryable: true, retryAfterMs: 29_500, correlationId: "c1" },
    });
  });

  it("passes the IdP error, suberror, AADSTS code and claims", () => {
    const e = new AuthShellError("interaction_required", "Interaction required", {
      idpError: "invalid_grant",
      idpErrorCode: 50076,
      suberror: "basic_action",
      claims: '{"access_token":{}}',
    });
    const r = JSON.parse(buildNaaError("r3", e));
    expect(r.error).toMatchObject({
      status: "USER_INTERACTION_REQUIRED",
      code: "invalid_grant",
      subError: "basic_action",
      properties: { aadsts: 50076, claims: '{"access_token":{}}' },
    });
  });

  it.each([
    ["interaction_required", NaaStatus.UserInteractionRequired],
    ["login_required", NaaStatus.UserInteractionRequired],
    ["consent_required", NaaStatus.UserInteractionRequired],
    ["invalid_grant", NaaStatus.UserInteractionRequired],
    ["user_cancelled", NaaStatus.UserCancel],
    ["throttled", NaaStatus.TransientError],
    ["idp_unavailable", NaaStatus.TransientError],
    ["timeout", NaaStatus.TransientError],
    ["network_error", NaaStatus.NoNetwork],
    ["no_account", NaaStatus.AccountUnavailable],
    ["not_granted", NaaStatus.Disabled],
    ["disabled", NaaStatus.Disabled],
    ["client_not_allowed", NaaStatus.PersistentError],
    ["state_mismatch", NaaStatus.PersistentError],
  ] as const)("%s → %s", (code, status) => {
    expect(naaStatusFor(code)).toBe(status);
  });

  it("a storage_error the broker could not recover from is persistent; a passing one is transient", () => {
    expect(toNaaBridgeError(new AuthShellError("storage_error", "unusable", { retryable: false })).status).toBe(NaaStatus.PersistentError);
    expect(toNaaBridgeError(new AuthShellError("storage_error", "busy")).status).toBe(NaaStatus.TransientError);
  });

  it("maps every error code to a valid status", () => {
    const valid = new Set(Object.values(NaaStatus));
    for (const code of ERROR_CODES) expect(valid.has(naaStatusFor(code))).toBe(true);
  });
});
