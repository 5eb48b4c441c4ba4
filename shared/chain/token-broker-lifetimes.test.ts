import { describe, expect, it } from "vitest";
import { flushMicrotasks } from "../../e2e/support/unit/fake-clock.js";
import { HOUR, MIN, createHarness, signIn, signedIn } from "./broker-harness.test-support.js";

describe("token broker: lifetimes", () => {
  it("stops serving a token inside the 5-minute skew margin", async () => {
    const h = await signedIn({ policy: { backgroundRefresh: false } });
    await h.clock.advance(HOUR - 5 * MIN - 1);
    expect((await h.broker.acquireToken({ scopes: ["User.Read"], allowInteraction: false })).source).toBe("cache");
    await h.clock.advance(1);
    expect((await h.broker.acquireToken({ scopes: ["User.Read"], allowInteraction: false })).source).toBe("refresh_token");
  });

  it("past refreshOn (refresh_in) serves the token, flags and performs a background refresh", async () => {
    const h = createHarness();
    h.idp.hasSession = false;
    h.idp.refreshIn = 600;
    const first = await signIn(h);
    expect(first.refreshOn).toBe(first.expiresOn - HOUR + 600_000);
    await h.clock.advance(600_000);
    const served = await h.broker.acquireToken({ scopes: ["User.Read"], allowInteraction: false });
    expect(served.source).toBe("cache");
    expect(served.accessToken).toBe(first.accessToken);
    expect(served.backgroundRefreshScheduled).toBe(true);
    await flushMicrotasks();
    expect(h.idp.tokenRequests("refresh_token")).toHaveLength(1);
    const next = await h.broker.acquireToken({ scopes: ["User.Read"], allowInteraction: false });
    expect(next.accessToken).not.toBe(first.accessToken);
    expect(next.backgroundRefreshScheduled).toBeUndefined();
  });

  it("without refresh_in, refreshOn is half the lifetime; nextRefreshAt and refreshDue follow it", async () => {
    const h = await signedIn();
    const t0 = h.clock.now();
    expect(await h.broker.nextRefreshAt()).toBe(t0 + HOUR / 2);
    expect(await h.broker.refreshDue()).toBe(0);
    expect(h.idp.tokenRequests("refresh_token")).toHaveLength(0);
    await h.clock.advance(HOUR / 2);
    expect(await h.broker.refreshDue()).toBe(1);
    expect(h.idp.tokenRequests("refresh_token")).toHaveLength(1);
    expect(await h.broker.nextRefreshAt()).toBe(t0 + HOUR);
  });

  it("a failed proactive refresh keeps the old token until it expires", async () => {
    const h = await signedIn();
    await h.clock.advance(HOUR / 2);
    h.idp.faults.push({ status: 429, headers: { "retry-after": "60" } });
    expect(await h.broker.refreshDue()).toBe(0);
    const r = await h.broker.acquireToken({ scopes: ["User.Read"], allowInteraction: false });
    expect(r.source).toBe("cache");
    expect(r.accessToken).toBe("at-2");
  });
});
