/**
 * A cache that lost its ID token record (one record deleted from the store, issue 12's storage cell):
 * the access token is still there, but an answer without an ID token is useless to the page — MSAL's
 * nested app rejects it (`null_or_empty_token`) — so the broker must get a new ID token instead of
 * serving that access token for the rest of its lifetime.
 */
import { describe, expect, it } from "vitest";
import { ID_TOKEN_PREFIX } from "../cache/cache-key.js";
import { signedIn, type Harness } from "./broker-harness.test-support.js";

async function deleteIdTokens(h: Harness): Promise<void> {
  const records = await h.store.entries(ID_TOKEN_PREFIX);
  expect(records).toHaveLength(1);
  for (const [key] of records) await h.store.delete(key);
}

describe("token broker: a cached access token whose ID token record is gone", () => {
  it("is not served: one refresh-token grant brings back a complete answer, then the cache serves it", async () => {
    const h = await signedIn();
    await deleteIdTokens(h);
    const broker = h.restart();
    const refreshesBefore = h.idp.tokenRequests("refresh_token").length;
    const authorizesBefore = h.idp.authorizeCalls.length;

    const first = await broker.acquireToken({ scopes: ["User.Read"], allowInteraction: false });
    expect(first.idToken).not.toBe("");
    expect(first.source).toBe("refresh_token");
    expect(first.account.idTokenClaims?.preferred_username).toBe("adele@contoso.test");
    expect(h.idp.tokenRequests("refresh_token").length - refreshesBefore).toBe(1);
    expect(h.idp.authorizeCalls.length).toBe(authorizesBefore);

    const again = await broker.acquireToken({ scopes: ["User.Read"], allowInteraction: false });
    expect(again.source).toBe("cache");
    expect(again.idToken).toBe(first.idToken);
    expect(h.idp.tokenRequests("refresh_token").length - refreshesBefore).toBe(1);
  });

  it("a refresh answer without an ID token goes on to prompt=none (which always brings one), not to a refresh per ask", async () => {
    const h = await signedIn();
    await deleteIdTokens(h);
    const broker = h.restart();
    const refreshesBefore = h.idp.tokenRequests("refresh_token").length;
    h.idp.faults.push({
      status: 200,
      body: { token_type: "Bearer", scope: "User.Read openid profile", expires_in: 3600, access_token: "at-no-id", refresh_token: "rt-no-id" },
    });
    h.idp.validRefreshTokens.add("rt-no-id");

    const first = await broker.acquireToken({ scopes: ["User.Read"], allowInteraction: false });
    expect(first.idToken).not.toBe("");
    expect(first.source).toBe("silent_authorize");
    for (let i = 0; i < 3; i++) {
      const again = await broker.acquireToken({ scopes: ["User.Read"], allowInteraction: false });
      expect(again.source).toBe("cache");
      expect(again.idToken).not.toBe("");
    }
    expect(h.idp.tokenRequests("refresh_token").length - refreshesBefore).toBe(1);
    expect(h.idp.authorizeCalls.filter((c) => !c.interactive)).toHaveLength(2); // the sign-in's own + this one
  });
});
