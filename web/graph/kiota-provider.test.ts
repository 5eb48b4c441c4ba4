import { AllowedHostsValidator, BaseBearerTokenAuthenticationProvider, RequestInformation, HttpMethod } from "@microsoft/kiota-abstractions";
import { describe, expect, it } from "vitest";
import { kiotaAccessTokenProvider } from "./kiota-provider.js";
import type { GraphTokenRequest } from "./token-source.js";

function setUp(allowedHosts?: string[]) {
  const requests: GraphTokenRequest[] = [];
  const provider = kiotaAccessTokenProvider(async (request) => (requests.push(request), "a-token"), {
    scopes: ["User.Read"],
    AllowedHostsValidator,
    ...(allowedHosts ? { allowedHosts } : {}),
  });
  // The real Kiota base provider: what an app wraps ours in.
  const auth = new BaseBearerTokenAuthenticationProvider(provider);
  const authorize = async (url: string, context?: Record<string, unknown>) => {
    const info = new RequestInformation(HttpMethod.GET, url);
    await auth.authenticateRequest(info, context);
    return info.headers.tryGetValue("Authorization");
  };
  return { provider, requests, authorize };
}

describe("Kiota access token provider", () => {
  it("attaches the token to Graph (the default list) with the configured scopes", async () => {
    const { authorize, requests } = setUp();
    expect(await authorize("https://graph.microsoft.com/v1.0/me")).toEqual(["Bearer a-token"]);
    expect(requests).toEqual([{ scopes: ["User.Read"] }]);
  });

  it("attaches nothing and acquires nothing for a host outside the list", async () => {
    const { authorize, requests } = setUp();
    expect(await authorize("https://evil.example/v1.0/me")).toBeNull();
    expect(requests).toEqual([]);
  });

  it("passes Kiota's claims (after a CAE challenge) to the token source", async () => {
    const { authorize, requests } = setUp(["localhost"]);
    await authorize("https://localhost:8443/v1.0/me", { claims: "eyJhY2Nlc3NfdG9rZW4iOnt9fQ==" });
    expect(requests).toEqual([{ scopes: ["User.Read"], claims: "eyJhY2Nlc3NfdG9rZW4iOnt9fQ==" }]);
  });

  it("hands out a real AllowedHostsValidator whose changes take effect, and reads an emptied list as no host", async () => {
    const { provider, authorize } = setUp(["localhost"]);
    const validator = provider.getAllowedHostsValidator();
    expect(validator).toBeInstanceOf(AllowedHostsValidator);
    expect(validator.getAllowedHosts()).toEqual(["localhost"]);
    validator.setAllowedHosts(new Set(["graph.microsoft.com"]));
    expect(await authorize("https://localhost:8443/v1.0/me")).toBeNull();
    validator.setAllowedHosts(new Set());
    expect(await authorize("https://graph.microsoft.com/v1.0/me")).toBeNull();
  });
});
