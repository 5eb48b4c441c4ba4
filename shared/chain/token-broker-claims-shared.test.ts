/**
 * Several tabs meeting the same claims challenge (issue 12, "CAE revocation with several apps
 * open"): a token issued moments ago for exactly these claims answers the next tab's challenge, so
 * the IdP sees one claims-bound request per resource, not one per tab. Older than the minimum
 * refresh interval, or other claims, and the challenge goes to the IdP again.
 */
import { describe, expect, it } from "vitest";
import { MIN_REFRESH_INTERVAL_MS } from "../cache/lifetimes.js";
import { signedIn } from "./broker-harness.test-support.js";

const challenge = '{"access_token":{"nbf":{"essential":true,"value":"1700000000"}}}';
const other = '{"access_token":{"nbf":{"essential":true,"value":"1700000100"}}}';

describe("token broker: one claims-bound request per resource for tabs sharing a challenge", () => {
  it("a second tab with the same challenge right after the first is served the token the first got", async () => {
    const h = await signedIn();
    const first = await h.broker.acquireToken({ scopes: ["User.Read"], claims: challenge, allowInteraction: false });
    expect(first.source).toBe("refresh_token");
    await h.clock.advance(1000);
    const second = await h.broker.acquireToken({ scopes: ["User.Read"], claims: challenge, allowInteraction: false });
    expect(second.source).toBe("cache");
    expect(second.accessToken).toBe(first.accessToken);
    expect(h.idp.tokenRequests("refresh_token")).toHaveLength(1);
  });

  it("the same challenge after the minimum interval, or another challenge, goes to the IdP", async () => {
    const h = await signedIn();
    await h.broker.acquireToken({ scopes: ["User.Read"], claims: challenge, allowInteraction: false });
    await h.clock.advance(MIN_REFRESH_INTERVAL_MS);
    expect((await h.broker.acquireToken({ scopes: ["User.Read"], claims: challenge, allowInteraction: false })).source).toBe("refresh_token");
    expect((await h.broker.acquireToken({ scopes: ["User.Read"], claims: other, allowInteraction: false })).source).toBe("refresh_token");
    expect(h.idp.tokenRequests("refresh_token")).toHaveLength(3);
  });

  it("a challenge for another resource is its own request", async () => {
    const h = await signedIn();
    await h.broker.acquireToken({ scopes: ["User.Read"], claims: challenge, allowInteraction: false });
    expect((await h.broker.acquireToken({ scopes: ["api://demo/Data.Read"], claims: challenge, allowInteraction: false })).source).toBe("refresh_token");
    expect(h.idp.tokenRequests("refresh_token")).toHaveLength(2);
  });
});
