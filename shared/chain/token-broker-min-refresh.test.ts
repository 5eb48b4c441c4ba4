/**
 * Very short token lifetimes (issue 12, "5 s and 1 s ATs: no refresh loop"): however short the
 * lifetime and `refresh_in`, the broker refreshes a token at most once per lifetime (and never
 * before MIN_REFRESH_INTERVAL_MS) — pages asking often and the proactive refresh together must not
 * turn into a loop of refresh-token grants (Entra answers those with AADSTS50196).
 */
import { describe, expect, it } from "vitest";
import { flushMicrotasks } from "../../e2e/support/unit/fake-clock.js";
import { MIN_REFRESH_INTERVAL_MS } from "../cache/lifetimes.js";
import { createHarness, signIn } from "./broker-harness.test-support.js";

async function session(expiresIn: number, refreshIn: number, seconds: number) {
  const h = createHarness();
  h.idp.hasSession = false;
  h.idp.expiresIn = expiresIn;
  h.idp.refreshIn = refreshIn;
  await signIn(h);
  // Three pages asking every 200 ms, and the proactive refresh run whenever it is due.
  for (let t = 0; t < seconds * 1000; t += 200) {
    await h.clock.advance(200);
    const next = await h.broker.nextRefreshAt();
    if (next !== undefined && next <= h.clock.now()) await h.broker.refreshDue();
    for (let page = 0; page < 3; page++) await h.broker.acquireToken({ scopes: ["User.Read"], allowInteraction: false });
    await flushMicrotasks();
  }
  return h.idp.tokenRequests("refresh_token").length;
}

describe("token broker: minimum refresh interval", () => {
  it("1 s tokens with refresh_in 0.5 s, asked for every 200 ms for 30 s: at most one refresh per lifetime", async () => {
    expect(await session(1, 0.5, 30)).toBeLessThanOrEqual(30);
  });

  it("5 s tokens with refresh_in 2.5 s for 30 s: no refresh before the minimum interval", async () => {
    expect(await session(5, 2.5, 30)).toBeLessThanOrEqual((30_000 / MIN_REFRESH_INTERVAL_MS) + 1);
  });

  it("an hour-long token still refreshes at refresh_in (the floor only lifts very short ones)", async () => {
    const h = createHarness();
    h.idp.hasSession = false;
    h.idp.refreshIn = 600;
    const first = await signIn(h);
    expect(first.refreshOn).toBe(first.expiresOn - 3600_000 + 600_000);
  });
});
