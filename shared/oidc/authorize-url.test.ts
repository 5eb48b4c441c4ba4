import { describe, expect, it } from "vitest";
import { AuthShellError } from "../errors.js";
import { parseAuthority } from "./authority.js";
import { buildAuthorizeUrl, type AuthorizeUrlParams } from "./authorize-url.js";

const base: AuthorizeUrlParams = {
  authority: parseAuthority("https://login.microsoftonline.com/contoso.onmicrosoft.com/"),
  clientId: "cid",
  redirectUri: "https://x.chromiumapp.org/",
  scopes: ["User.Read", "openid"],
  state: "st",
  nonce: "nn",
  codeChallenge: "cc",
  correlationId: "corr",
};

describe("buildAuthorizeUrl", () => {
  it("builds an Entra v2 authorize URL with PKCE S256, state, nonce and the reserved scopes", () => {
    const url = new URL(buildAuthorizeUrl({ ...base, prompt: "none", loginHint: "a@b.c", claims: '{"access_token":{}}', clientSku: { name: "rtb", version: "1" } }));
    expect(url.origin + url.pathname).toBe("https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/authorize");
    expect(Object.fromEntries(url.searchParams)).toEqual({
      client_id: "cid",
      response_type: "code",
      redirect_uri: "https://x.chromiumapp.org/",
      scope: "User.Read openid profile offline_access",
      state: "st",
      nonce: "nn",
      code_challenge: "cc",
      code_challenge_method: "S256",
      response_mode: "fragment",
      client_info: "1",
      prompt: "none",
      login_hint: "a@b.c",
      claims: '{"access_token":{}}',
      "client-request-id": "corr",
      "x-client-SKU": "rtb",
      "x-client-VER": "1",
    });
  });

  it("sends no prompt at all for interactive flows, and can use response_mode=query", () => {
    const url = new URL(buildAuthorizeUrl({ ...base, responseMode: "query", domainHint: "contoso.com" }));
    expect(url.searchParams.has("prompt")).toBe(false);
    expect(url.searchParams.get("response_mode")).toBe("query");
    expect(url.searchParams.get("domain_hint")).toBe("contoso.com");
  });

  it("sends prompt=select_account when a person adds an account (the IdP's account picker)", () => {
    const url = new URL(buildAuthorizeUrl({ ...base, prompt: "select_account" }));
    expect(url.searchParams.getAll("prompt")).toEqual(["select_account"]);
  });

  it("refuses prompt=login and prompt=consent (by type and at run time)", () => {
    // @ts-expect-error prompt=login is not representable
    const login: AuthorizeUrlParams = { ...base, prompt: "login" };
    // @ts-expect-error prompt=consent is not representable
    const consent: AuthorizeUrlParams = { ...base, prompt: "consent" };
    for (const params of [login, consent, { ...base, prompt: "create" } as unknown as AuthorizeUrlParams]) {
      expect(() => buildAuthorizeUrl(params)).toThrowError(AuthShellError);
      try {
        buildAuthorizeUrl(params);
      } catch (e) {
        expect((e as AuthShellError).code).toBe("config_error");
      }
    }
  });
});
