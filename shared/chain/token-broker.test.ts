import { describe, expect, it, vi } from "vitest";
import { AuthShellError } from "../errors.js";
import { flushMicrotasks } from "../testing/fake-clock.js";
import { base64UrlEncode } from "../oidc/base64url.js";
import { CLIENT_ID, HOME_ACCOUNT_ID, createHarness, invalidGrant, nodeCrypto, signIn, type Harness } from "./broker-harness.test-support.js";

const HOUR = 3600_000;
const MIN = 60_000;

async function signedIn(options: Parameters<typeof createHarness>[0] = {}): Promise<Harness> {
  const h = createHarness(options);
  h.idp.hasSession = false;
  await signIn(h);
  return h;
}

async function rejection(p: Promise<unknown>): Promise<AuthShellError> {
  try {
    await p;
  } catch (error) {
    expect(error).toBeInstanceOf(AuthShellError);
    return error as AuthShellError;
  }
  throw new Error("expected a rejection");
}

describe("token broker: sign-in and cache", () => {
  it("signs in interactively after prompt=none fails, with PKCE S256, state, nonce and cp1 claims", async () => {
    const h = createHarness();
    h.idp.hasSession = false;
    const result = await h.broker.acquireToken({ scopes: ["User.Read"], allowInteraction: true });
    expect(result.source).toBe("interactive");
    expect(result.accessToken).toBe("at-2");
    expect(result.account.homeAccountId).toBe(HOME_ACCOUNT_ID);
    expect(result.account.username).toBe("adele@contoso.test");
    expect(result.account.idTokenClaims?.name).toBe("Adele Vance");
    const [silent, interactive] = h.idp.authorizeCalls;
    expect(silent?.interactive).toBe(false);
    expect(silent?.url.searchParams.get("prompt")).toBe("none");
    expect(interactive?.interactive).toBe(true);
    expect(interactive?.url.searchParams.has("prompt")).toBe(false);
    const p = interactive!.url.searchParams;
    expect(p.get("code_challenge_method")).toBe("S256");
    expect(p.get("response_mode")).toBe("fragment");
    expect(p.get("scope")).toBe("User.Read openid profile offline_access");
    expect(JSON.parse(p.get("claims") ?? "{}")).toEqual({ access_token: { xms_cc: { values: ["cp1"] } } });
    const redeem = h.idp.tokenRequests("authorization_code")[0]!;
    expect(redeem.form.get("code_verifier")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(redeem.headers?.["client-request-id"]).toBe(result.correlationId);
    const [pair] = h.idp.pkcePairs;
    const digest = await nodeCrypto.sha256(new TextEncoder().encode(pair!.verifier));
    expect(base64UrlEncode(digest)).toBe(pair!.challenge);
  });

  it("serves the second call from the cache without any request", async () => {
    const h = await signedIn();
    const before = h.http.requests.length;
    const again = await h.broker.acquireToken({ scopes: ["user.read"], allowInteraction: false });
    expect(again.source).toBe("cache");
    expect(again.accessToken).toBe("at-2");
    expect(h.http.requests.length).toBe(before);
  });

  it("ignores the reserved scopes openid/profile/offline_access when matching, case-insensitively", async () => {
    const h = await signedIn();
    const r = await h.broker.acquireToken({ scopes: ["OPENID", "User.READ", "offline_access", "Profile"], allowInteraction: false });
    expect(r.source).toBe("cache");
    const other = await h.broker.acquireToken({ scopes: ["Mail.Read"], allowInteraction: false });
    expect(other.source).toBe("refresh_token");
  });

  it("a restarted broker over the same store serves the cached token with zero requests (R3)", async () => {
    const h = await signedIn();
    const before = h.http.requests.length;
    const calls = h.idp.authorizeCalls.length;
    const r = await h.restart().acquireToken({ scopes: ["User.Read"], allowInteraction: false });
    expect(r.source).toBe("cache");
    expect(h.http.requests.length).toBe(before);
    expect(h.idp.authorizeCalls.length).toBe(calls);
  });
});

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

describe("token broker: single-flight and rotation", () => {
  it("10 concurrent callers make 1 refresh request and get the same token", async () => {
    const h = await signedIn();
    await h.clock.advance(HOUR);
    const results = await Promise.all(
      Array.from({ length: 10 }, () => h.broker.acquireToken({ scopes: ["User.Read"], allowInteraction: false })),
    );
    expect(h.idp.tokenRequests("refresh_token")).toHaveLength(1);
    expect(new Set(results.map((r) => r.accessToken)).size).toBe(1);
  });

  it("two callers with different scopes never redeem the same refresh token (rotation race)", async () => {
    const h = await signedIn();
    await h.clock.advance(HOUR);
    const [a, b] = await Promise.all([
      h.broker.acquireToken({ scopes: ["User.Read"], allowInteraction: false }),
      h.broker.acquireToken({ scopes: ["Mail.Read"], allowInteraction: false }),
    ]);
    expect(a.source).toBe("refresh_token");
    expect(b.source).toBe("refresh_token");
    const sent = h.idp.tokenRequests("refresh_token").map((r) => r.form.get("refresh_token"));
    expect(sent).toHaveLength(2);
    expect(new Set(sent).size).toBe(2);
    expect(h.idp.refreshTokenReuse).toBe(0);
  });

  it("stores the rotated refresh token with the new access token in one batch", async () => {
    const h = await signedIn();
    await h.clock.advance(HOUR);
    const batches: unknown[] = [];
    const original = h.store.batch.bind(h.store);
    h.store.batch = async (ops) => {
      batches.push(ops);
      return original(ops);
    };
    await h.broker.acquireToken({ scopes: ["User.Read"], allowInteraction: false });
    expect(batches).toHaveLength(1);
    const keys = Object.keys((batches[0] as { put: Record<string, unknown> }).put);
    expect(keys.some((k) => k.startsWith("rt:"))).toBe(true);
    expect(keys.some((k) => k.startsWith("at:"))).toBe(true);
    expect(keys.some((k) => k.startsWith("idt:"))).toBe(true);
  });
});

describe("token broker: IdP trouble", () => {
  it("429 on refresh while the AT is still valid serves the cached AT", async () => {
    const h = await signedIn();
    await h.clock.advance(HOUR - 2 * MIN); // inside the skew margin, not expired
    h.idp.faults.push({ status: 429, headers: { "retry-after": "30" } });
    const r = await h.broker.acquireToken({ scopes: ["User.Read"], allowInteraction: false });
    expect(r.source).toBe("cache");
    expect(r.accessToken).toBe("at-2");
    expect(h.events.some((e) => e.type === "served_cached_during_outage")).toBe(true);
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
    const served = h.events.filter((e) => e.type === "served_cached_during_outage");
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
    const breakerKey = h.events.find((e) => e.type === "http_request")!.detail!.key as string;
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

describe("token broker: accounts, sign-out, status", () => {
  it("signOut clears the account's tokens and returns the IdP logout URL", async () => {
    const h = await signedIn();
    expect((await h.broker.getAccounts()).map((a) => a.username)).toEqual(["adele@contoso.test"]);
    const { logoutUrl } = await h.broker.signOut(HOME_ACCOUNT_ID);
    const url = new URL(logoutUrl);
    expect(url.pathname).toBe("/tid-1/oauth2/v2.0/logout");
    expect(url.searchParams.get("post_logout_redirect_uri")).toBe(h.config.redirectUri);
    expect(url.searchParams.get("logout_hint")).toBe("O.hint");
    expect(await h.broker.getAccounts()).toEqual([]);
    expect(await h.store.entries("rt:")).toEqual([]);
    expect(await h.store.entries("at:")).toEqual([]);
    h.idp.hasSession = false;
    const e = await rejection(h.broker.acquireToken({ scopes: ["User.Read"], allowInteraction: false }));
    expect(e.code).toBe("interaction_required");
  });

  it("status and events never contain token values", async () => {
    const h = await signedIn();
    await h.clock.advance(HOUR);
    h.idp.faults.push({ status: 429, headers: { "retry-after": "30" } });
    await rejection(h.broker.acquireToken({ scopes: ["User.Read"], allowInteraction: false }));
    const status = await h.broker.status();
    expect(status.cache).toHaveLength(1);
    expect(status.cache[0]).toMatchObject({ clientId: CLIENT_ID, scopes: ["email", "user.read"], hasRefreshToken: true });
    expect(status.gates).toHaveLength(1);
    const text = JSON.stringify(status) + JSON.stringify(h.events);
    expect(text).not.toMatch(/\b(at|rt)-\d+\b/);
    expect(text).not.toMatch(/eyJ/);
  });
});

describe("test support", () => {
  it("the harness SHA-256 matches WebCrypto", async () => {
    const { sha256Sync } = await import("./broker-harness.test-support.js");
    for (const text of ["", "abc", "x".repeat(55), "y".repeat(56), "z".repeat(200)]) {
      const bytes = new TextEncoder().encode(text);
      expect([...sha256Sync(bytes)]).toEqual([...new Uint8Array(await crypto.subtle.digest("SHA-256", bytes))]);
    }
  });
});
