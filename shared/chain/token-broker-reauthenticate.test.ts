import { describe, expect, it } from "vitest";
import { HOME_ACCOUNT_ID, USER, invalidGrant, signedIn } from "./broker-harness.test-support.js";

/**
 * "Sign in again" after the IdP ended the session (sessions revoked): the cached access token is
 * still unexpired, so only a request that skips the cache, the refresh token and prompt=none reaches
 * the person — and its success must clear the remembered "no session" answer the popup shows.
 */
describe("reauthenticate: sign in again for an account whose session ended", () => {
  async function revoked() {
    const h = await signedIn();
    await h.clock.advance(60_000); // a minute later: the cached token is older than the forced refresh
    h.idp.hasSession = false;
    // The refresh token is refused (revoked), then prompt=none answers login_required: "no session".
    h.idp.faults.push(invalidGrant());
    await expect(h.broker.acquireToken({ scopes: ["User.Read"], allowInteraction: false, forceRefresh: true })).rejects.toMatchObject({
      code: "interaction_required",
    });
    const silent = (await h.broker.status()).silent ?? [];
    expect(silent.map((s) => s.kind)).toEqual(["no_session"]);
    return h;
  }

  it("a plain sign-in for the account is answered by its still-unexpired cached token (why reauthenticate exists)", async () => {
    const h = await revoked();
    const before = h.idp.authorizeCalls.length;
    const plain = await h.broker.acquireToken({ scopes: ["User.Read"], allowInteraction: true, userInitiated: true, loginHint: USER.username });
    expect(plain.source).toBe("cache");
    expect(h.idp.authorizeCalls.length).toBe(before);
  });

  it("opens exactly one sign-in window with login_hint and no prompt, and clears the 'no session' answer", async () => {
    const h = await revoked();
    const before = h.idp.authorizeCalls.length;
    const tokenPostsBefore = h.idp.tokenRequests().length;
    const again = await h.broker.acquireToken({ scopes: ["User.Read"], allowInteraction: true, userInitiated: true, loginHint: USER.username, reauthenticate: true });
    expect(again.source).toBe("interactive");
    expect(again.account.homeAccountId).toBe(HOME_ACCOUNT_ID);
    const calls = h.idp.authorizeCalls.slice(before);
    expect(calls.map((c) => [c.interactive, c.url.searchParams.get("prompt"), c.url.searchParams.get("login_hint")])).toEqual([[true, null, USER.username]]);
    // Only the code redemption: no refresh-token grant was tried first.
    expect(h.idp.tokenRequests().slice(tokenPostsBefore).map((r) => r.form.get("grant_type"))).toEqual(["authorization_code"]);
    expect((await h.broker.status()).silent).toEqual([]);
    // The new tokens answer from now on.
    const next = await h.broker.acquireToken({ scopes: ["User.Read"], allowInteraction: false });
    expect(next).toMatchObject({ source: "cache", accessToken: again.accessToken });
  });

  it("needs interaction", async () => {
    const h = await revoked();
    await expect(h.broker.acquireToken({ scopes: ["User.Read"], allowInteraction: false, reauthenticate: true, loginHint: USER.username })).rejects.toMatchObject({
      code: "invalid_request",
    });
  });
});
