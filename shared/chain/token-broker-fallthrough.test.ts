import { describe, expect, it } from "vitest";
import { HOUR, createHarness, invalidGrant, rejection, signedIn } from "./broker-harness.test-support.js";

describe("token broker: falling through the chain", () => {
  it("invalid_grant → silent authorize → interactive when allowed", async () => {
    const h = await signedIn();
    await h.clock.advance(HOUR);
    h.idp.faults.push(invalidGrant());
    h.idp.hasSession = false;
    const calls = h.idp.authorizeCalls.length;
    const r = await h.broker.acquireToken({ scopes: ["User.Read"], allowInteraction: true });
    expect(r.source).toBe("interactive");
    const newCalls = h.idp.authorizeCalls.slice(calls);
    expect(newCalls.map((c) => c.interactive)).toEqual([false, true]);
    expect(newCalls[0]!.url.searchParams.get("login_hint")).toBe("adele@contoso.test");
    for (const c of h.idp.authorizeCalls) expect(["none", null]).toContain(c.url.searchParams.get("prompt"));
  });

  it("invalid_grant → silent authorize succeeds with an IdP session", async () => {
    const h = await signedIn();
    await h.clock.advance(HOUR);
    h.idp.faults.push(invalidGrant());
    h.idp.hasSession = true;
    const r = await h.broker.acquireToken({ scopes: ["User.Read"], allowInteraction: false });
    expect(r.source).toBe("silent_authorize");
  });

  it("invalid_grant without interaction → 'interaction_required', and the dead RT is never sent again", async () => {
    const h = await signedIn();
    await h.clock.advance(HOUR);
    h.idp.faults.push(invalidGrant());
    h.idp.hasSession = false;
    const e = await rejection(h.broker.acquireToken({ scopes: ["User.Read"], allowInteraction: false }));
    expect(e.code).toBe("interaction_required");
    expect(e.correlationId).toBeTruthy();
    const refreshes = h.idp.tokenRequests("refresh_token").length;
    await rejection(h.broker.acquireToken({ scopes: ["User.Read"], allowInteraction: false }));
    expect(h.idp.tokenRequests("refresh_token").length).toBe(refreshes);
  });

  it("a cancelled prompt starts the interaction cool-down: no prompt loop", async () => {
    const h = createHarness();
    h.idp.hasSession = false;
    h.idp.interactive = "cancel";
    const first = await rejection(h.broker.acquireToken({ scopes: ["User.Read"], allowInteraction: true }));
    expect(first.code).toBe("user_cancelled");
    const interactiveCalls = () => h.idp.authorizeCalls.filter((c) => c.interactive).length;
    expect(interactiveCalls()).toBe(1);
    const second = await rejection(h.broker.acquireToken({ scopes: ["User.Read"], allowInteraction: true }));
    expect(second.code).toBe("interaction_cooldown");
    expect(second.retryAfterMs).toBeGreaterThan(0);
    expect(interactiveCalls()).toBe(1);
    expect((await h.broker.status()).cooldownUntil).toBeGreaterThan(h.clock.now());
  });

  it("rejects a redirect whose state does not match (state_mismatch), without falling through", async () => {
    const h = createHarness();
    h.idp.stateOverride = "forged";
    const e = await rejection(h.broker.acquireToken({ scopes: ["User.Read"], allowInteraction: true }));
    expect(e.code).toBe("state_mismatch");
    expect(h.idp.authorizeCalls).toHaveLength(1);
    expect(h.idp.tokenRequests()).toHaveLength(0);
  });

  it("rejects an ID token whose nonce does not match (nonce_mismatch) and stores nothing", async () => {
    const h = createHarness();
    h.idp.nonceOverride = "replayed";
    const e = await rejection(h.broker.acquireToken({ scopes: ["User.Read"], allowInteraction: false }));
    expect(e.code).toBe("nonce_mismatch");
    expect(await h.broker.getAccounts()).toEqual([]);
  });
});
