import { describe, expect, it } from "vitest";
import { parseAuthority } from "../oidc/authority.js";
import { gateSubject, idpGateKey, idpGateKeyForUrl, resourceGateKey } from "./gate-keys.js";

describe("gate keys", () => {
  it("names an IdP endpoint by host, tenant and kind", () => {
    expect(idpGateKey("h", "t")).toBe("idp:h/t/token");
    expect(idpGateKey("h", "t", "authorize")).toBe("idp:h/t/authorize");
  });

  it("derives the same key from an endpoint URL as from its parts", () => {
    expect(idpGateKeyForUrl("https://login.test:8443/t1/oauth2/v2.0/token")).toBe("idp:login.test:8443/t1/token");
    expect(idpGateKeyForUrl("https://login.test/t1/oauth2/v2.0/authorize?x=1")).toBe("idp:login.test/t1/authorize");
    expect(idpGateKeyForUrl("https://login.test/t1/v2.0/.well-known/openid-configuration")).toBe("idp:login.test/t1/metadata");
  });

  it("gives the broker's authority and the shell's MSAL requests one key for one token endpoint", () => {
    const authority = parseAuthority("https://login.test:8443/contoso.test/");
    expect(authority.tokenGateKey).toBe(idpGateKeyForUrl(authority.tokenEndpoint));
    expect(authority.authorizeGateKey).toBe(idpGateKeyForUrl(authority.authorizeEndpoint));
  });

  it("names a resource by host, from a URL or a host", () => {
    expect(resourceGateKey("https://graph.test:444/v1.0/me?x")).toBe("resource:graph.test:444");
    expect(resourceGateKey("graph.test")).toBe("resource:graph.test");
  });

  it("reads a key back as its subject, and nothing else as one", () => {
    expect(gateSubject(idpGateKey("login.test:8443", "t1", "authorize"))).toEqual({ kind: "idp", host: "login.test:8443", tenant: "t1", endpoint: "authorize" });
    expect(gateSubject(resourceGateKey("https://graph.test/v1.0/me"))).toEqual({ kind: "resource", host: "graph.test" });
    expect(gateSubject("idp:login.test/t1/userinfo")).toBeUndefined();
    expect(gateSubject("cooldown:x")).toBeUndefined();
  });
});
