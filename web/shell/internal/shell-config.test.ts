import { describe, expect, it } from "vitest";
import { AuthShellError, ERROR_CODES } from "../../../shared/errors.js";
import { resolveShellConfig, type AuthShellConfig } from "./config.js";
import { describeError, ERROR_DESCRIPTIONS } from "./error-text.js";
import { CLIENT_CAPABILITIES, msalConfiguration } from "./shell-msal-client.js";
import { tenantDomain } from "./tenant-domain.js";
import { SIGN_IN_WINDOW_TIMEOUT_MS } from "./popup-sign-in.js";
import type { ResilientNetworkClient } from "./msal-network-client.js";

const page = "https://app.test/portal/index.html";

const CLIENT = "2ffc5f25-9392-442a-93ff-be195186c310";
const TENANT = "1ff2628e-5488-4af2-9d52-731bb01ad4b3";

/** The config_error a configuration is refused with, or undefined. */
function refusal(config: AuthShellConfig): AuthShellError | undefined {
  try {
    resolveShellConfig(config, page);
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(AuthShellError);
    expect((error as AuthShellError).code).toBe("config_error");
    return error as AuthShellError;
  }
}

describe("resolveShellConfig", () => {
  it("rejects an authority that is not a URL with a config_error (a sentence, not a blank page)", () => {
    const caught = refusal({ clientId: CLIENT, authority: "not-a-url" });
    expect(describeError(caught)).toMatch(/not configured correctly/);
  });

  it("applies defaults: User.Read, redirect.html next to the page, extension on", () => {
    const config = resolveShellConfig({ clientId: ` ${CLIENT.toUpperCase()} `, authority: "https://login.test/contoso.com/" }, page);
    expect(config).toEqual({
      clientId: CLIENT,
      authority: "https://login.test/contoso.com",
      tenant: "contoso.com",
      scopes: ["User.Read"],
      redirectUri: "https://app.test/portal/redirect.html",
      useExtension: true,
      groupsOverage: { graphUrl: "https://login.test", scopes: ["User.Read"] },
    });
  });

  it("takes the Graph URL and scopes of the groups-overage lookup, https only", () => {
    const config = resolveShellConfig({ clientId: CLIENT, authority: `https://login.microsoftonline.us/${TENANT}`, groupsOverage: { graphUrl: "https://dod-graph.microsoft.us/", scopes: ["GroupMember.Read.All"] } }, page);
    expect(config.groupsOverage).toEqual({ graphUrl: "https://dod-graph.microsoft.us", scopes: ["GroupMember.Read.All"] });
    expect(refusal({ clientId: CLIENT, authority: `https://login.test/${TENANT}`, groupsOverage: { graphUrl: "http://graph.test" } })?.message).toMatch(/https URL/);
  });

  // The cases the shell and the extension once read differently (shared/oidc/authority.ts is now the one parser).
  it("drops a trailing /v2.0 from the authority, as the extension does", () => {
    const config = resolveShellConfig({ clientId: CLIENT, authority: `https://login.microsoftonline.com/${TENANT}/v2.0` }, page);
    expect(config.authority).toBe(`https://login.microsoftonline.com/${TENANT}`);
    expect(config.tenant).toBe(TENANT);
  });

  it("accepts a local emulator on http://[::1] and refuses http elsewhere", () => {
    expect(resolveShellConfig({ clientId: CLIENT, authority: `http://[::1]:8443/${TENANT}` }, page).authority).toBe(`http://[::1]:8443/${TENANT}`);
    expect(refusal({ clientId: CLIENT, authority: `http://login.test/${TENANT}` })?.message).toMatch(/https:\/\//);
  });

  it.each(["common", "organizations"])("accepts the multi-tenant authority …/%s", (tenant) => {
    expect(resolveShellConfig({ clientId: CLIENT, authority: `https://login.microsoftonline.com/${tenant}` }, page).tenant).toBe(tenant);
  });

  it("refuses an authority without a tenant or with a path after it", () => {
    expect(refusal({ clientId: CLIENT, authority: "https://login.microsoftonline.com" })?.message).toMatch(/names no tenant/);
    expect(refusal({ clientId: CLIENT, authority: `https://login.microsoftonline.com/${TENANT}/saml2` })?.message).toMatch(/Remove “\/saml2”/);
  });

  it("refuses a client ID that is not a GUID, and an empty one", () => {
    expect(refusal({ clientId: "my-app", authority: "https://login.test/contoso.com" })?.message).toMatch(/“my-app” is not a client ID/);
    expect(refusal({ clientId: "", authority: "https://login.test/contoso.com" })?.message).toMatch(/no client ID/);
  });
});

describe("error descriptions", () => {
  it("has a sentence for every stable code", () => {
    for (const code of ERROR_CODES) expect(ERROR_DESCRIPTIONS[code], code).toMatch(/\w+.*\./);
  });

  it("says 'closed the window' for user_cancelled, not the generic sentence", () => {
    expect(describeError(new AuthShellError("user_cancelled", "closed"))).toMatch(/window was closed/);
  });

  it("does not claim retries are still running once they have stopped, and counts the wait down", () => {
    const error = new AuthShellError("idp_unavailable", "503", { retryAfterMs: 15_000 });
    expect(describeError(error)).not.toMatch(/retrying/i);
    expect(describeError(error)).toMatch(/15 s/);
    expect(describeError(error, 4_200)).toMatch(/5 s/);
  });
});

describe("standalone MSAL configuration", () => {
  it("declares the CAE capability exactly as Entra's xms_cc value: cp1", () => {
    const config = resolveShellConfig({ clientId: CLIENT, authority: "https://login.test/contoso.com" }, page);
    const msal = msalConfiguration(config, {} as ResilientNetworkClient, false);
    expect(CLIENT_CAPABILITIES).toEqual(["cp1"]);
    expect(msal.auth.clientCapabilities).toEqual(["cp1"]);
    expect(msal.cache?.cacheLocation).toBe("localStorage");
  });

  it("lets MSAL wait for the sign-in window longer than the shell does, so the shell's own timeout decides", () => {
    const config = resolveShellConfig({ clientId: CLIENT, authority: "https://login.test/contoso.com" }, page);
    const msal = msalConfiguration(config, {} as ResilientNetworkClient, false);
    expect(msal.system?.popupBridgeTimeout).toBeGreaterThan(SIGN_IN_WINDOW_TIMEOUT_MS);
  });
});

describe("tenantDomain", () => {
  it("uses the authority's tenant when it is a domain", () => {
    expect(tenantDomain("Contoso.onmicrosoft.com", "adele@contoso.test")).toBe("contoso.onmicrosoft.com");
  });
  it("else the member's sign-in domain", () => {
    expect(tenantDomain("1ff2628e-5488-4af2-9d52-731bb01ad4b3", "adele@Contoso.test")).toBe("contoso.test");
  });
  it("knows nothing for a guest or a name without a domain", () => {
    expect(tenantDomain("1ff2628e", "adele_fabrikam.com#EXT#@contoso.onmicrosoft.com")).toBeUndefined();
    expect(tenantDomain("1ff2628e", "adele")).toBeUndefined();
  });
});
