import { describe, expect, it } from "vitest";
import { checkAuthority, parseAuthority } from "./authority.js";
import { parseClientId } from "./client-id.js";

const TENANT = "1ff2628e-5488-4af2-9d52-731bb01ad4b3";

describe("parseAuthority", () => {
  it("derives endpoints and the token and authorize gate keys", () => {
    const a = parseAuthority(`https://localhost:8443/${TENANT}/`);
    expect(a).toEqual({
      url: `https://localhost:8443/${TENANT}`,
      host: "localhost:8443",
      tenant: TENANT,
      authorizeEndpoint: `https://localhost:8443/${TENANT}/oauth2/v2.0/authorize`,
      tokenEndpoint: `https://localhost:8443/${TENANT}/oauth2/v2.0/token`,
      logoutEndpoint: `https://localhost:8443/${TENANT}/oauth2/v2.0/logout`,
      tokenGateKey: `idp:localhost:8443/${TENANT}/token`,
      authorizeGateKey: `idp:localhost:8443/${TENANT}/authorize`,
    });
  });

  it("drops a trailing /v2.0, so the token endpoint is not …/v2.0/oauth2/v2.0/token", () => {
    const a = parseAuthority(`https://login.microsoftonline.com/${TENANT}/v2.0`);
    expect(a.url).toBe(`https://login.microsoftonline.com/${TENANT}`);
    expect(a.tokenEndpoint).toBe(`https://login.microsoftonline.com/${TENANT}/oauth2/v2.0/token`);
    expect(checkAuthority(`https://login.microsoftonline.com/${TENANT}/v2.0/`)).toMatchObject({ ok: true, dropped: "/v2.0" });
  });

  it("accepts http on every loopback host, [::1] included, and nowhere else", () => {
    expect(parseAuthority(`http://[::1]:8443/${TENANT}`).tokenEndpoint).toBe(`http://[::1]:8443/${TENANT}/oauth2/v2.0/token`);
    expect(parseAuthority(`http://127.0.0.1:8443/${TENANT}`).host).toBe("127.0.0.1:8443");
    expect(checkAuthority(`http://login.example/${TENANT}`)).toEqual({ ok: false, refusal: { reason: "not_https" } });
  });

  it.each(["common", "organizations", "consumers", "contoso.onmicrosoft.com"])("accepts the tenant %s", (tenant) => {
    expect(parseAuthority(`https://login.microsoftonline.com/${tenant}`).tenant).toBe(tenant);
  });

  it("lower-cases a tenant GUID, so one tenant has one gate key", () => {
    expect(parseAuthority(`https://login.microsoftonline.com/${TENANT.toUpperCase()}`).tenant).toBe(TENANT);
  });

  it.each([
    ["", { reason: "empty" }],
    ["not a url", { reason: "not_url", input: "not a url" }],
    ["https://login.microsoftonline.com/", { reason: "no_tenant", host: "login.microsoftonline.com" }],
    ["https://login.microsoftonline.com/my-tenant", { reason: "bad_tenant", tenant: "my-tenant" }],
    [`https://login.microsoftonline.com/${TENANT}/saml2`, { reason: "extra_path", path: "/saml2", authority: `https://login.microsoftonline.com/${TENANT}` }],
    [`https://u:p@login.microsoftonline.com/${TENANT}`, { reason: "credentials" }],
    [`https://login.microsoftonline.com/${TENANT}?x=1`, { reason: "query" }],
  ])("refuses %j: %j", (input, refusal) => {
    expect(checkAuthority(input)).toEqual({ ok: false, refusal });
    expect(() => parseAuthority(input)).toThrow(expect.objectContaining({ code: "config_error" }));
  });
});

describe("parseClientId", () => {
  it("accepts a GUID, trimmed and lower-cased", () => {
    expect(parseClientId(" 2FFC5F25-9392-442A-93FF-BE195186C310 ")).toBe("2ffc5f25-9392-442a-93ff-be195186c310");
  });
  it.each(["", "my-app", "2ffc5f25939244 2a93ffbe195186c310", undefined])("refuses %j with config_error", (input) => {
    expect(() => parseClientId(input)).toThrow(expect.objectContaining({ code: "config_error" }));
  });
});
