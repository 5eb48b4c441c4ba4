import { describe, expect, it } from "vitest";
import { graphClientAuthProvider } from "./graph-client-provider.js";
import type { GraphTokenRequest } from "./token-source.js";

describe("graph-client authentication provider", () => {
  it("uses a request's own scopes, else the configured ones", async () => {
    const requests: GraphTokenRequest[] = [];
    const provider = graphClientAuthProvider(async (request) => (requests.push(request), "a-token"), { scopes: ["User.Read"] });
    expect(await provider.getAccessToken()).toBe("a-token");
    await provider.getAccessToken({ scopes: [] });
    await provider.getAccessToken({ scopes: ["Mail.Read"] });
    expect(requests.map((r) => r.scopes)).toEqual([["User.Read"], ["User.Read"], ["Mail.Read"]]);
  });
});
