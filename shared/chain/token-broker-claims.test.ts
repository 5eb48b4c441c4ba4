import { describe, expect, it } from "vitest";
import { rejection, signedIn } from "./broker-harness.test-support.js";

describe("token broker: claims (CAE)", () => {
  const challenge = '{"access_token":{"nbf":{"essential":true,"value":"1700000000"}}}';

  it("a claims challenge bypasses the cache and is sent merged with cp1", async () => {
    const h = await signedIn();
    const r = await h.broker.acquireToken({ scopes: ["User.Read"], claims: challenge, allowInteraction: false });
    expect(r.source).toBe("refresh_token");
    const sent = JSON.parse(h.idp.tokenRequests("refresh_token")[0]!.form.get("claims") ?? "{}");
    expect(sent).toEqual({ access_token: { nbf: { essential: true, value: "1700000000" }, xms_cc: { values: ["cp1"] } } });
    // The challenged token replaced the old one of the same resource.
    const next = await h.broker.acquireToken({ scopes: ["User.Read"], allowInteraction: false });
    expect(next.accessToken).not.toBe("at-2");
  });

  it("without client capabilities the challenge is sent as it is", async () => {
    const h = await signedIn({ config: { clientCapabilities: [] } });
    expect(JSON.parse(h.idp.authorizeCalls.at(-1)!.url.searchParams.get("claims") ?? "null")).toBeNull();
    await h.broker.acquireToken({ scopes: ["User.Read"], claims: challenge, allowInteraction: false });
    expect(JSON.parse(h.idp.tokenRequests("refresh_token")[0]!.form.get("claims") ?? "{}")).toEqual(JSON.parse(challenge));
  });

  it("MSAL's id_token-only claims and xms_cc-only claims do not bypass the cache", async () => {
    const h = await signedIn();
    const before = h.http.requests.length;
    const idTokenOnly = '{"id_token":{"signin_state":{"essential":false,"values":["kmsi"]}}}';
    const capsOnly = '{"access_token":{"xms_cc":{"values":["cp1"]}},"id_token":{"login_hint":{"essential":false}}}';
    expect((await h.broker.acquireToken({ scopes: ["User.Read"], claims: idTokenOnly, allowInteraction: false })).source).toBe("cache");
    expect((await h.broker.acquireToken({ scopes: ["User.Read"], claims: capsOnly, allowInteraction: false })).source).toBe("cache");
    expect(h.http.requests.length).toBe(before);
  });

  it("a claims challenge during an IdP outage is not answered with the old token", async () => {
    const h = await signedIn({ policy: { resilience: { maxAttempts: 1 } } });
    h.idp.faults.push({ status: 429, headers: { "retry-after": "5" } });
    const e = await rejection(h.broker.acquireToken({ scopes: ["User.Read"], claims: challenge, allowInteraction: false }));
    expect(e.code).toBe("throttled");
  });
});
