import { describe, expect, it } from "vitest";
import { MemoryStore } from "../storage/memory-store.js";
import { flushMicrotasks } from "../../e2e/support/unit/fake-clock.js";
import { FakeHttp } from "../../e2e/support/unit/fake-http.js";
import { CircuitBreaker } from "./circuit-breaker.js";
import { KEY, request, run, setup } from "../../e2e/support/unit/resilient-request-harness.js";
import { sendResilient } from "./resilient-request.js";
import { RetryAfterGate } from "./retry-after-gate.js";

describe("sendResilient: 429, Retry-After and the gate", () => {
  it("timeout then 429: times out after 10 s, retries after 5 s, then closes the gate and throws throttled", async () => {
    const { clock, http, deps, sentAt } = setup();
    http.on("/token", { hang: true }, { status: 429, headers: { "Retry-After": "30" } });
    const { error } = await run(deps, clock);
    expect(sentAt()).toEqual([0, 15_000]);
    expect(http.requests[0]!.signal?.aborted).toBe(true);
    expect(http.answeredWith(429)).toEqual([http.requests[1]]);
    expect(error?.code).toBe("throttled");
    expect(error?.retryAfterMs).toBe(30_000);
    expect(deps.gate.remainingMs(KEY)).toBe(30_000);
    // Inside the window nothing leaves.
    await clock.advance(29_000);
    const second = await run(deps, clock);
    expect(second.error?.code).toBe("throttled");
    expect(second.error?.retryAfterMs).toBe(1_000);
    expect(http.requests).toHaveLength(2);
  });

  it("a 429 is never retried inside the request, even with attempts left", async () => {
    const { clock, http, deps } = setup();
    http.on("/token", { status: 429 }, { status: 200 });
    const { error } = await run(deps, clock, { maxAttempts: 4 });
    expect(error?.code).toBe("throttled");
    expect(error?.retryAfterMs).toBe(5_000);
    expect(http.requests).toHaveLength(1);
  });

  it("a closed gate throws throttled with retryAfterMs and sends nothing", async () => {
    const { clock, http, deps } = setup();
    http.on("/token", { status: 200 });
    await deps.gate.close(KEY, 12_000);
    const { error } = await run(deps, clock);
    expect(error?.code).toBe("throttled");
    expect(error?.retryAfterMs).toBe(12_000);
    expect(http.requests).toHaveLength(0);
  });

  it("503 with a Retry-After longer than the backoff is honoured", async () => {
    const { clock, http, deps, sentAt } = setup();
    http.on("/token", { status: 503, headers: { "Retry-After": "20" } }, { status: 200 });
    const { response } = await run(deps, clock);
    expect(response?.status).toBe(200);
    expect(sentAt()).toEqual([0, 20_000]);
  });

  it("503 with a Retry-After shorter than the backoff still waits the 5 s backoff", async () => {
    const { clock, http, deps, sentAt } = setup();
    http.on("/token", { status: 503, headers: { "Retry-After": "1" } }, { status: 200 });
    await run(deps, clock);
    expect(sentAt()).toEqual([0, 5_000]);
  });

  it("a 503 Retry-After also holds back other callers of the same key", async () => {
    const { clock, http, deps } = setup();
    http.on("/token", { status: 503, headers: { "Retry-After": "20" } }, { status: 200 });
    const first = sendResilient(deps, { key: KEY, request });
    await flushMicrotasks();
    await clock.advance(10_000);
    const other = await run(deps, clock, { maxAttempts: 1 });
    expect(other.error?.code).toBe("throttled");
    expect((await first).status).toBe(200);
    expect(http.requests).toHaveLength(2);
  });

  it("restart: a new gate over the same store is still closed, and nothing is sent", async () => {
    const store = new MemoryStore();
    const first = setup(store);
    first.http.on("/token", { status: 429, headers: { "Retry-After": "120" } });
    await run(first.deps, first.clock);
    await first.clock.advance(60_000);

    const http = new FakeHttp(first.clock).on("/token", { status: 200 });
    const gate = new RetryAfterGate(store, first.clock);
    await gate.load();
    const breaker = new CircuitBreaker(store, first.clock);
    await breaker.load();
    const { error } = await run({ ...first.deps, http, gate, breaker }, first.clock);
    expect(error?.code).toBe("throttled");
    expect(error?.retryAfterMs).toBe(60_000);
    expect(http.requests).toHaveLength(0);
  });

  it("still throws throttled when the gate cannot be persisted, and says so in an event", async () => {
    const failing = Object.assign(new MemoryStore(), {
      set: async () => {
        throw new Error("quota");
      },
    });
    const { clock, http, deps, events } = setup(failing);
    http.on("/token", { status: 429, headers: { "Retry-After": "9" } });
    const { error } = await run(deps, clock);
    expect(error?.code).toBe("throttled");
    expect(deps.gate.remainingMs(KEY)).toBe(9_000);
    expect(events.map((e) => e.type)).toContain("storage.write_failed");
  });
});
