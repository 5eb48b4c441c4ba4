import { describe, expect, it } from "vitest";
import { parseAuthority } from "./authority.js";

describe("parseAuthority", () => {
  it("derives endpoints and the token gate key", () => {
    const a = parseAuthority("https://localhost:8443/1ff2628e/");
    expect(a).toEqual({
      url: "https://localhost:8443/1ff2628e",
      host: "localhost:8443",
      tenant: "1ff2628e",
      authorizeEndpoint: "https://localhost:8443/1ff2628e/oauth2/v2.0/authorize",
      tokenEndpoint: "https://localhost:8443/1ff2628e/oauth2/v2.0/token",
      logoutEndpoint: "https://localhost:8443/1ff2628e/oauth2/v2.0/logout",
      tokenGateKey: "idp:localhost:8443/1ff2628e/token",
    });
  });

  it.each(["not a url", "https://login.microsoftonline.com/", "http://evil.example/tenant"])("rejects %s", (bad) => {
    expect(() => parseAuthority(bad)).toThrow(expect.objectContaining({ code: "config_error" }));
  });
});
