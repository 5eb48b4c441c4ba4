import { describe, expect, it } from "vitest";
import { FakeHttp } from "../../e2e/support/unit/fake-http.js";
import { parseAuthority } from "./authority.js";
import { TokenClient } from "./token-client.js";

function client(http: FakeHttp, keys: string[] = []) {
  return new TokenClient({
    authority: parseAuthority("https://idp.test/tenant-1.test"),
    clientId: "cid",
    redirectUri: "https://x.chromiumapp.org/",
    clientSku: { name: "rtb", version: "0.1" },
    send: (key, request) => {
      keys.push(key);
      return http.send(request);
    },
  });
}

const ok = { token_type: "Bearer", access_token: "AT", refresh_token: "RT2", expires_in: 3599, scope: "User.Read openid" };

describe("TokenClient", () => {
  it("redeems a refresh token with a form-encoded POST, correlation header and the gate key", async () => {
    const http = new FakeHttp().on("/token", { body: ok });
    const keys: string[] = [];
    const r = await client(http, keys).redeemRefreshToken({
      refreshToken: "RT1",
      scopes: ["User.Read"],
      claims: '{"access_token":{"xms_cc":{"values":["cp1"]}}}',
      correlationId: "corr-1",
    });
    expect(r).toMatchObject({ accessToken: "AT", refreshToken: "RT2", expiresInSec: 3599, scopes: ["User.Read", "openid"] });
    const req = http.requests[0]!;
    expect(req.url).toBe("https://idp.test/tenant-1.test/oauth2/v2.0/token");
    expect(req.method).toBe("POST");
    expect(req.headers?.["content-type"]).toContain("application/x-www-form-urlencoded");
    expect(req.headers?.["client-request-id"]).toBe("corr-1");
    expect(req.headers?.["x-client-SKU"]).toBe("rtb");
    expect(Object.fromEntries(req.form)).toEqual({
      client_id: "cid",
      scope: "User.Read openid profile offline_access",
      client_info: "1",
      claims: '{"access_token":{"xms_cc":{"values":["cp1"]}}}',
      grant_type: "refresh_token",
      refresh_token: "RT1",
    });
    expect(keys).toEqual(["idp:idp.test/tenant-1.test/token"]);
  });

  it("redeems an authorization code with the PKCE verifier and redirect URI", async () => {
    const http = new FakeHttp().on("/token", { body: ok });
    await client(http).redeemCode({ code: "C", codeVerifier: "V", scopes: ["api://x/.default"], correlationId: "c" });
    const form = http.requests[0]!.form;
    expect(form.get("grant_type")).toBe("authorization_code");
    expect(form.get("code")).toBe("C");
    expect(form.get("code_verifier")).toBe("V");
    expect(form.get("redirect_uri")).toBe("https://x.chromiumapp.org/");
    expect(form.has("claims")).toBe(false);
  });

  it("maps error responses to AuthShellErrors carrying the correlation id", async () => {
    const http = new FakeHttp().on("/token", { status: 400, body: { error: "invalid_grant", error_codes: [70008] } });
    await expect(client(http).redeemRefreshToken({ refreshToken: "x", scopes: ["a"], correlationId: "c9" })).rejects.toMatchObject({
      code: "invalid_grant",
      correlationId: "c9",
    });
  });

  it("maps both Entra 429 shapes (plain-text 'Too Many Requests' and JSON AADSTS90055) to throttled", async () => {
    const text = new FakeHttp().on("/token", { status: 429, headers: { "Content-Type": "text/plain", "Retry-After": "60" }, body: "Too Many Requests" });
    await expect(client(text).redeemRefreshToken({ refreshToken: "x", scopes: ["a"], correlationId: "c1" })).rejects.toMatchObject({ code: "throttled", correlationId: "c1" });
    const json = new FakeHttp().on("/token", { status: 429, body: { error: "temporarily_unavailable", error_codes: [90055] } });
    await expect(client(json).redeemRefreshToken({ refreshToken: "x", scopes: ["a"], correlationId: "c2" })).rejects.toMatchObject({ code: "throttled", idpErrorCode: 90055 });
  });

  it("reports an unreadable body as a network error", async () => {
    const http = new FakeHttp().on("/token", () => ({ body: ok }));
    const broken = new TokenClient({
      authority: parseAuthority("https://idp.test/contoso.test"),
      clientId: "cid",
      redirectUri: "r",
      send: async () => ({ status: 200, headers: { get: () => null }, text: () => Promise.reject(new Error("reset")) }),
    });
    await expect(broken.redeemCode({ code: "c", codeVerifier: "v", scopes: ["a"], correlationId: "c" })).rejects.toMatchObject({
      code: "network_error",
    });
    expect(http.requests).toHaveLength(0);
  });
});
