import { describe, expect, it } from "vitest";
import { AuthShellError } from "../errors.js";
import type { KeyValueStore, Random } from "../ports.js";
import { MemoryStore } from "../storage/memory-store.js";
import { type FakeClock, flushMicrotasks } from "../../e2e/support/unit/fake-clock.js";
import { FakeRandom } from "../../e2e/support/unit/fake-random.js";
import { CircuitBreaker } from "./circuit-breaker.js";
import { KEY, TOKEN_URL, request, run, setup } from "../../e2e/support/unit/resilient-request-harness.js";
import { sendResilient } from "./resilient-request.js";
import { RetryAfterGate } from "./retry-after-gate.js";

describe("sendResilient: retries, backoff and the circuit breaker", () => {
  it("returns a 200 after one request, with an abort signal attached", async () => {
    const { clock, http, deps } = setup();
    http.on("/token", { status: 200, body: { ok: true } });
    const { response } = await run(deps, clock);
    expect(response?.status).toBe(200);
    expect(http.requests).toHaveLength(1);
    expect(http.requests[0]!.signal).toBeDefined();
    expect(http.requests[0]!.body).toBe(request.body);
  });

  it.each([400, 401, 403, 404])("returns a %i to the caller as it is, without retrying", async (status) => {
    const { clock, http, deps } = setup();
    http.on("/token", { status, body: { error: "invalid_grant" } });
    const { response } = await run(deps, clock);
    expect(response?.status).toBe(status);
    expect(http.requests).toHaveLength(1);
  });

  it("5xx then success: retries once, no earlier than 5 s later", async () => {
    const { clock, http, deps, sentAt } = setup();
    http.on("/token", { status: 500 }, { status: 200 });
    const { response } = await run(deps, clock);
    expect(response?.status).toBe(200);
    expect(sentAt()).toEqual([0, 5_000]);
  });

  // Same 5xx schedule whether the breaker's windows set it or the request's own backoff does.
  it.each([
    [
      "backs off exponentially with jitter between attempts: the breaker's windows are the schedule",
      (store: KeyValueStore, clock: FakeClock, random: Random) => new CircuitBreaker(store, clock, {}, random),
    ],
    [
      "a breaker that stays closed (higher threshold) leaves the spacing to the request's own backoff",
      (_store: KeyValueStore, clock: FakeClock) => new CircuitBreaker(new MemoryStore(), clock, { failureThreshold: 10 }),
    ],
  ] as const)("%s", async (_title, breaker) => {
    const { clock, http, deps, sentAt, store } = setup();
    deps.random = new FakeRandom([0.5]);
    deps.breaker = breaker(store, clock, deps.random);
    http.on("/token", { status: 502 }, { status: 504 }, { status: 503 }, { status: 200 });
    const { response } = await run(deps, clock);
    expect(response?.status).toBe(200);
    expect(sentAt()).toEqual([0, 5_500, 5_500 + 11_000, 5_500 + 11_000 + 22_000]);
  });

  it("two callers: a second caller 1 s after a 5xx sends nothing and gets idp_unavailable with the remaining wait", async () => {
    const { clock, http, deps, sentAt } = setup();
    http.on("/token", { status: 500 }, { status: 200 });
    const first = sendResilient(deps, { key: KEY, request });
    await flushMicrotasks();
    await clock.advance(1_000);
    const second = await sendResilient(deps, { key: KEY, request }).catch((e: unknown) => e as AuthShellError);
    expect(second).toBeInstanceOf(AuthShellError);
    expect((second as AuthShellError).code).toBe("idp_unavailable");
    expect((second as AuthShellError).retryable).toBe(true);
    expect((second as AuthShellError).retryAfterMs).toBe(4_000);
    expect(http.requests).toHaveLength(1);
    await clock.runAll();
    expect((await first).status).toBe(200);
    expect(sentAt()).toEqual([0, 5_000]);
  });

  it("separate callers that each try once as soon as allowed see windows of 5, 10, 20 s; a success closes", async () => {
    const { clock, http, deps, sentAt } = setup();
    http.on("/token", { status: 500 }, { status: 503 }, { networkError: "offline" }, { status: 200 }, { status: 502 });
    for (let i = 0; i < 3; i++) {
      const { error } = await run(deps, clock, { maxAttempts: 1 });
      expect(error?.retryAfterMs).toBe(deps.breaker.remainingMs(KEY));
      await clock.advance(deps.breaker.remainingMs(KEY));
    }
    const ok = await run(deps, clock, { maxAttempts: 1 });
    expect(ok.response?.status).toBe(200);
    expect(sentAt()).toEqual([0, 5_000, 15_000, 35_000]);
    expect(deps.breaker.stateOf(KEY).phase).toBe("closed");
    const next = await run(deps, clock, { maxAttempts: 1 });
    expect(next.error?.retryAfterMs).toBe(5_000);
  });

  it("restart: a new breaker over the same store keeps the window, and the next one grows", async () => {
    const store = new MemoryStore();
    const first = setup(store);
    first.http.on("/token", { status: 500 }, { status: 500 }, { status: 200 });
    await run(first.deps, first.clock, { maxAttempts: 1 });
    await first.deps.breaker.flush();
    await first.clock.advance(2_000);

    const breaker = new CircuitBreaker(store, first.clock);
    await breaker.load();
    const gate = new RetryAfterGate(store, first.clock);
    await gate.load();
    const deps = { ...first.deps, gate, breaker };
    const inside = await run(deps, first.clock, { maxAttempts: 1 });
    expect(inside.error?.code).toBe("idp_unavailable");
    expect(inside.error?.retryAfterMs).toBe(3_000);
    expect(first.http.requests).toHaveLength(1);
    await first.clock.advance(3_000);
    const { response } = await run(deps, first.clock);
    expect(response?.status).toBe(200);
    expect(first.sentAt()).toEqual([0, 5_000, 15_000]);
  });

  it("no double waiting: the retry waits the longer of the breaker window and a 5xx Retry-After, not their sum", async () => {
    const { clock, http, deps, sentAt } = setup();
    http.on("/token", { status: 500 }, { status: 503, headers: { "Retry-After": "7" } }, { status: 200 });
    await run(deps, clock, { maxAttempts: 1 });
    await clock.advance(5_000);
    const { response } = await run(deps, clock);
    expect(response?.status).toBe(200);
    // The failed probe at 5 s opened a 10 s window; the 7 s Retry-After lies inside it.
    expect(sentAt()).toEqual([0, 5_000, 15_000]);
  });

  it("gives up after maxAttempts with idp_unavailable and the next delay; the breaker makes the last try a probe", async () => {
    const { clock, http, deps, sentAt, events } = setup();
    http.on("/token", { status: 500 });
    const { error } = await run(deps, clock);
    expect(error?.code).toBe("idp_unavailable");
    expect(error?.retryable).toBe(true);
    // Each failure opens the breaker for the next backoff window; every retry is that window's probe.
    expect(sentAt()).toEqual([0, 5_000, 15_000, 35_000]);
    expect(error?.retryAfterMs).toBe(40_000);
    expect(deps.breaker.remainingMs(KEY)).toBe(40_000);
    expect(events.map((e) => e.type)).toEqual([
      "http.request", "http.retry", "http.request", "http.retry", "http.request", "http.retry", "http.request", "http.failed",
    ]);
  });

  it("maxAttempts 1 means no retry", async () => {
    const { clock, http, deps } = setup();
    http.on("/token", { status: 500 });
    const { error } = await run(deps, clock, { maxAttempts: 1 });
    expect(error?.code).toBe("idp_unavailable");
    expect(error?.retryAfterMs).toBe(5_000);
    expect(http.requests).toHaveLength(1);
  });

  it("network errors are retried and end as network_error", async () => {
    const { clock, http, deps, sentAt } = setup();
    http.on("/token", { networkError: "Failed to fetch" });
    const { error } = await run(deps, clock, { maxAttempts: 2 });
    expect(error?.code).toBe("network_error");
    expect(error?.retryable).toBe(true);
    expect(sentAt()).toEqual([0, 5_000]);
  });

  it("timeouts end as timeout, with a configurable per-attempt timeout", async () => {
    const { clock, http, deps, sentAt } = setup();
    http.on("/token", { hang: true });
    const { error } = await run(deps, clock, { maxAttempts: 2, timeoutMs: 2_000 });
    expect(error?.code).toBe("timeout");
    expect(sentAt()).toEqual([0, 7_000]);
  });

  it("custom retryStatuses: other 5xx are returned as they are", async () => {
    const { clock, http, deps } = setup();
    http.on("/token", { status: 500 });
    const { response } = await run(deps, clock, { retryStatuses: [503] });
    expect(response?.status).toBe(500);
    expect(http.requests).toHaveLength(1);
  });

  it("half-open breaker with 10 concurrent callers sends exactly 1 request", async () => {
    const { clock, http, deps } = setup();
    http.on("/token", { status: 500 }, { status: 200 });
    await run(deps, clock, { maxAttempts: 1 });
    expect(deps.breaker.stateOf(KEY).phase).toBe("open");
    await clock.advance(5_000);
    const before = http.requests.length;
    const outcomes = await Promise.allSettled(Array.from({ length: 10 }, () => sendResilient(deps, { key: KEY, request })));
    expect(http.requests.length - before).toBe(1);
    expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1);
    const rejected = outcomes.filter((o): o is PromiseRejectedResult => o.status === "rejected");
    expect(rejected).toHaveLength(9);
    for (const r of rejected) {
      expect((r.reason as AuthShellError).code).toBe("idp_unavailable");
      expect((r.reason as AuthShellError).retryAfterMs).toBeGreaterThan(0);
    }
    expect(deps.breaker.stateOf(KEY).phase).toBe("closed");
  });

  it("events name the key and the URL without its query, and never carry the body", async () => {
    const { clock, http, deps, events } = setup();
    http.on("/token", { status: 500 }, { status: 200 });
    await run(deps, clock, { request: { ...request, url: `${TOKEN_URL}?code=secret-code` } });
    const text = JSON.stringify(events);
    expect(text).toContain(KEY);
    expect(text).toContain(TOKEN_URL);
    expect(text).not.toContain("secret");
    expect(events.every((e) => e.detail?.key === KEY)).toBe(true);
  });

  it("describes an unparseable URL without failing", async () => {
    const { clock, http, deps, events } = setup();
    http.on(() => true, { status: 200 });
    await run(deps, clock, { request: { url: "not a url", method: "GET" } });
    expect(events[0]!.message).toBe("GET (invalid URL)");
  });
});
