import { describe, expect, it, vi } from "vitest";
import { AuthShellError } from "../errors.js";
import { flushMicrotasks } from "../../e2e/support/unit/fake-clock.js";
import { HOUR, MIN, rejection, signedIn } from "./broker-harness.test-support.js";

describe("token broker: IdP trouble", () => {
  it("429 on refresh while the AT is still valid serves the cached AT", async () => {
    const h = await signedIn();
    await h.clock.advance(HOUR - 2 * MIN); // inside the skew margin, not expired
    h.idp.faults.push({ status: 429, headers: { "retry-after": "30" } });
    const r = await h.broker.acquireToken({ scopes: ["User.Read"], allowInteraction: false });
    expect(r.source).toBe("cache");
    expect(r.accessToken).toBe("at-2");
    expect(h.events.some((e) => e.type === "chain.served_cached")).toBe(true);
  });

  it("429 with an expired AT throws 'throttled' with retryAfterMs; nothing is sent inside the window", async () => {
    const h = await signedIn();
    await h.clock.advance(HOUR);
    h.idp.faults.push({ status: 429, headers: { "retry-after": "30" } });
    const first = await rejection(h.broker.acquireToken({ scopes: ["User.Read"], allowInteraction: true }));
    expect(first.code).toBe("throttled");
    expect(first.retryAfterMs).toBe(30_000);
    const sent = h.http.requests.length;
    const authorizeCalls = h.idp.authorizeCalls.length;
    await h.clock.advance(10_000);
    const second = await rejection(h.broker.acquireToken({ scopes: ["User.Read"], allowInteraction: true }));
    expect(second.code).toBe("throttled");
    expect(second.retryAfterMs).toBe(20_000);
    expect(h.http.requests.length).toBe(sent);
    expect(h.idp.authorizeCalls.length).toBe(authorizeCalls);
    // A restarted broker honours the persisted gate too.
    const third = await rejection(h.restart().acquireToken({ scopes: ["User.Read"], allowInteraction: false }));
    expect(third.code).toBe("throttled");
    expect(h.http.requests.length).toBe(sent);
    await h.clock.advance(20_000);
    expect((await h.broker.acquireToken({ scopes: ["User.Read"], allowInteraction: false })).source).toBe("refresh_token");
  });

  it("5xx with an expired AT throws a retryable idp_unavailable (no prompt)", async () => {
    const h = await signedIn({ policy: { resilience: { maxAttempts: 1 } } });
    await h.clock.advance(HOUR);
    h.idp.faults.push({ status: 503, body: { error: "temporarily_unavailable" } });
    const calls = h.idp.authorizeCalls.length;
    const e = await rejection(h.broker.acquireToken({ scopes: ["User.Read"], allowInteraction: true }));
    expect(e.code).toBe("idp_unavailable");
    expect(e.retryable).toBe(true);
    expect(h.idp.authorizeCalls.length).toBe(calls);
  });

  it("forceRefresh during an outage: after the first 5xx, another caller 1 s later sends nothing and gets the cached AT", async () => {
    const h = await signedIn({ policy: { resilience: { maxAttempts: 1 } } });
    await h.clock.advance(30 * MIN);
    h.idp.faults.push({ status: 503 }, { status: 503 });
    const first = await h.broker.acquireToken({ scopes: ["User.Read"], forceRefresh: true, allowInteraction: false });
    expect(first.source).toBe("cache");
    const sent = h.idp.tokenRequests("refresh_token").length;
    await h.clock.advance(1_000);
    const second = await h.broker.acquireToken({ scopes: ["User.Read"], forceRefresh: true, allowInteraction: false });
    expect(second.source).toBe("cache");
    expect(second.accessToken).toBe(first.accessToken);
    expect(h.idp.tokenRequests("refresh_token").length).toBe(sent);
    const served = h.events.filter((e) => e.type === "chain.served_cached");
    expect(served.at(-1)?.detail?.code).toBe("idp_unavailable");
    expect((await h.broker.status()).breakers).toEqual([expect.objectContaining({ phase: "open", consecutiveFailures: 1 })]);
  });

  it("a caller inside the backoff window is answered at once with the remaining wait, not queued behind the retrying caller", async () => {
    const h = await signedIn();
    await h.clock.advance(HOUR);
    h.idp.faults.push({ status: 503 });
    const first = h.broker.acquireToken({ scopes: ["User.Read"], allowInteraction: false });
    await vi.waitFor(async () => expect((await h.broker.status()).breakers[0]?.phase).toBe("open"));
    const sent = h.idp.tokenRequests("refresh_token").length;
    await h.clock.advance(1_000);
    // The first caller sleeps in its backoff holding the refresh-token lock; fake time stands still,
    // so the second call can only settle if it does not queue behind it.
    let second: unknown;
    void h.broker.acquireToken({ scopes: ["User.Read"], forceRefresh: true, allowInteraction: false }).catch((e: unknown) => (second = e));
    await vi.waitFor(() => expect(second).toBeDefined());
    expect(second).toBeInstanceOf(AuthShellError);
    expect((second as AuthShellError).code).toBe("idp_unavailable");
    expect((second as AuthShellError).retryAfterMs).toBe((await h.broker.status()).breakers[0]!.openUntil! - h.clock.now());
    expect((second as AuthShellError).retryAfterMs).toBeGreaterThanOrEqual(4_000);
    expect(h.idp.tokenRequests("refresh_token").length).toBe(sent);
    await h.clock.runAll();
    expect((await first).source).toBe("refresh_token");
    expect(h.idp.tokenRequests("refresh_token").length).toBe(sent + 1);
  });

  it("callerMaxAttempts 1: forced refreshes joining a failing flight during an outage are all answered without waiting out a backoff", async () => {
    const h = await signedIn({ policy: { callerMaxAttempts: 1 } });
    await h.clock.advance(30 * MIN); // the AT is still valid
    h.idp.faults.push(...Array.from({ length: 10 }, () => ({ status: 503 })));
    const force = { scopes: ["User.Read"], forceRefresh: true, allowInteraction: false };
    // Ten tabs at once (one single flight), then more while the backoff window is open. Fake time
    // stands still, so a caller can only settle if nobody sleeps in a backoff on its behalf.
    const answers: Array<{ source?: string; error?: AuthShellError }> = [];
    const ask = () =>
      void h.broker.acquireToken(force).then(
        (r) => answers.push({ source: r.source }),
        (e: unknown) => answers.push({ error: e as AuthShellError }),
      );
    for (let i = 0; i < 10; i++) ask();
    await vi.waitFor(() => expect(answers).toHaveLength(10));
    for (let i = 0; i < 5; i++) ask();
    await vi.waitFor(() => expect(answers).toHaveLength(15));
    expect(answers.every((a) => a.source === "cache")).toBe(true);
    expect(h.idp.tokenRequests("refresh_token")).toHaveLength(1);
    expect((await h.broker.status()).breakers).toEqual([expect.objectContaining({ phase: "open", consecutiveFailures: 1 })]);
    // With the AT expired there is nothing to serve: every caller gets a retryable error with the wait.
    await h.clock.advance(HOUR);
    answers.length = 0;
    for (let i = 0; i < 5; i++) ask();
    await vi.waitFor(() => expect(answers).toHaveLength(5));
    for (const a of answers) {
      expect(a.error).toBeInstanceOf(AuthShellError);
      expect(a.error!.code).toBe("idp_unavailable");
      expect(a.error!.retryable).toBe(true);
      expect(a.error!.retryAfterMs).toBeGreaterThan(0);
    }
    expect(h.idp.tokenRequests("refresh_token")).toHaveLength(2);
  });

  it("callerMaxAttempts does not apply to background refreshes: they keep retrying through the backoff", async () => {
    const h = await signedIn({ policy: { callerMaxAttempts: 1 } });
    await h.clock.advance(HOUR / 2 + MIN); // past refreshOn (half the lifetime)
    h.idp.faults.push({ status: 503 });
    const refreshed = h.broker.refreshDue();
    await h.clock.runAll();
    expect(await refreshed).toBe(1);
    const [a, b] = h.idp.tokenRequests("refresh_token");
    expect(b!.at - a!.at).toBeGreaterThanOrEqual(5000);
  });

  it("a caller arriving while a background retry (the half-open probe) hangs is answered at once, not queued behind it", async () => {
    const h = await signedIn({ policy: { callerMaxAttempts: 1, backgroundMaxAttempts: 1 } });
    await h.clock.advance(HOUR / 2 + MIN); // past refreshOn; the AT is still valid
    h.idp.faults.push({ status: 503 }, { hang: true });
    expect(await h.broker.refreshDue()).toBe(0); // background attempt 1: 503, the breaker opens
    const breakerKey = h.events.find((e) => e.type === "http.request")!.detail!.key as string;
    await h.clock.advance((await h.broker.status()).breakers[0]!.openUntil! - h.clock.now());
    const background = h.broker.refreshDue(); // background attempt 2: the probe, hanging
    await flushMicrotasks();
    expect(h.idp.tokenRequests("refresh_token")).toHaveLength(2);
    expect((await h.broker.status()).breakers.find((b) => b.key === breakerKey)?.phase).toBe("half_open");
    const before = h.clock.now();

    const settled: Array<PromiseSettledResult<unknown>> = [];
    const forced = h.broker.acquireToken({ scopes: ["User.Read"], allowInteraction: false, forceRefresh: true });
    const plain = h.broker.acquireToken({ scopes: ["User.Read"], allowInteraction: false });
    void Promise.allSettled([forced, plain]).then((r) => settled.push(...r));
    await flushMicrotasks();
    expect(h.clock.now()).toBe(before);
    expect(settled).toHaveLength(2);
    expect(settled.every((r) => r.status === "fulfilled" && (r.value as { source: string }).source === "cache")).toBe(true);
    expect(h.idp.tokenRequests("refresh_token")).toHaveLength(2); // nothing new sent

    // With no valid AT, the caller fails fast with the wait instead of waiting out the probe's timeout.
    await h.clock.advance(0);
    const other = await rejection(h.broker.acquireToken({ scopes: ["Mail.Read"], allowInteraction: false }));
    expect(h.clock.now()).toBe(before);
    expect(other.code).toBe("idp_unavailable");
    expect(other.retryAfterMs).toBeGreaterThan(0);
    await h.clock.runAll();
    await background;
  });

  it("a forced refresh that failed in an outage is owed: the background retries it at the breaker's window end, with no caller asking", async () => {
    const h = await signedIn({ policy: { callerMaxAttempts: 1, backgroundMaxAttempts: 1 } });
    const signedInRefreshOn = (await h.broker.nextRefreshAt())!;
    expect(signedInRefreshOn - h.clock.now()).toBeGreaterThan(10 * MIN); // not due for a long time
    await h.clock.advance(MIN);
    h.idp.faults.push({ status: 503 }, { status: 503 });
    const served = await h.broker.acquireToken({ scopes: ["User.Read"], allowInteraction: false, forceRefresh: true });
    expect(served.source).toBe("cache");
    const firstFailure = h.clock.now();

    // The next background attempt is due when the breaker lets one through, not at the far refreshOn.
    const retryAt = (await h.broker.nextRefreshAt())!;
    expect(retryAt - firstFailure).toBeGreaterThanOrEqual(5000);
    expect(retryAt).toBeLessThan(signedInRefreshOn);
    // The owed refresh survives a worker restart.
    const restarted = h.restart();
    expect(await restarted.nextRefreshAt()).toBe(retryAt);

    await h.clock.advance(retryAt - h.clock.now());
    expect(await restarted.refreshDue()).toBe(0); // still down: the second 503, and a longer window
    const secondRetryAt = (await restarted.nextRefreshAt())!;
    expect(secondRetryAt - h.clock.now()).toBeGreaterThan(retryAt - firstFailure);

    await h.clock.advance(secondRetryAt - h.clock.now());
    expect(await restarted.refreshDue()).toBe(1); // the IdP is back: refreshed with nobody asking
    expect(h.idp.tokenRequests("refresh_token").map((r) => r.response?.status)).toEqual([503, 503, 200]);
    expect(await restarted.nextRefreshAt()).toBeGreaterThan(h.clock.now() + 10 * MIN); // nothing owed any more
    const next = await restarted.acquireToken({ scopes: ["User.Read"], allowInteraction: false });
    expect(next.accessToken).not.toBe(served.accessToken);
  });

  it("nextRefreshAt of a due token is never inside the token endpoint's backoff window", async () => {
    const h = await signedIn({ policy: { backgroundMaxAttempts: 1 } });
    await h.clock.advance(HOUR / 2 + MIN);
    expect(await h.broker.nextRefreshAt()).toBeLessThanOrEqual(h.clock.now());
    h.idp.faults.push({ status: 503 });
    expect(await h.broker.refreshDue()).toBe(0);
    expect((await h.broker.nextRefreshAt())! - h.clock.now()).toBeGreaterThanOrEqual(5000);
  });

  it("retries a 5xx after a backoff of at least 5 s and then succeeds", async () => {
    const h = await signedIn();
    await h.clock.advance(HOUR);
    h.idp.faults.push({ status: 500 });
    const t = h.clock.now();
    const pending = h.broker.acquireToken({ scopes: ["User.Read"], allowInteraction: false });
    await h.clock.runAll();
    const r = await pending;
    expect(r.source).toBe("refresh_token");
    const [a, b] = h.idp.tokenRequests("refresh_token");
    expect(a!.at).toBe(t);
    expect(b!.at - a!.at).toBeGreaterThanOrEqual(5000);
  });
});
