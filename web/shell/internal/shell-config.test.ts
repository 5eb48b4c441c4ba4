import { describe, expect, it } from "vitest";
import { AuthShellError, ERROR_CODES } from "../../../shared/errors";
import { resolveShellConfig } from "./config";
import { describeError, ERROR_DESCRIPTIONS } from "./error-text";
import { CLIENT_CAPABILITIES, msalConfiguration } from "./shell-msal-client";
import { tenantDomain } from "./tenant-domain";
import type { ResilientNetworkClient } from "./msal-network-client";

const page = "https://app.test/portal/index.html";

describe("resolveShellConfig", () => {
  it("rejects an authority that is not a URL with a config_error (a sentence, not a blank page)", () => {
    let caught: unknown;
    try {
      resolveShellConfig({ clientId: "abc", authority: "not-a-url" }, page);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(AuthShellError);
    expect((caught as AuthShellError).code).toBe("config_error");
    expect(describeError(caught)).toMatch(/not configured correctly/);
  });

  it("applies defaults: User.Read, redirect.html next to the page, extension on", () => {
    const config = resolveShellConfig({ clientId: " abc ", authority: "https://login.test/contoso.com/" }, page);
    expect(config).toEqual({
      clientId: "abc",
      authority: "https://login.test/contoso.com",
      tenant: "contoso.com",
      scopes: ["User.Read"],
      redirectUri: "https://app.test/portal/redirect.html",
      useExtension: true,
    });
  });

  it("rejects an empty client ID", () => {
    expect(() => resolveShellConfig({ clientId: "", authority: "https://login.test/t" }, page)).toThrow(AuthShellError);
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
    const config = resolveShellConfig({ clientId: "abc", authority: "https://login.test/t" }, page);
    const msal = msalConfiguration(config, {} as ResilientNetworkClient, false);
    expect(CLIENT_CAPABILITIES).toEqual(["cp1"]);
    expect(msal.auth.clientCapabilities).toEqual(["cp1"]);
    expect(msal.cache?.cacheLocation).toBe("localStorage");
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
