import { describe, expect, it } from "vitest";
import { AuthShellError } from "../errors.js";
import { MemoryStore } from "../storage/memory-store.js";
import { FakeClock } from "../testing/fake-clock.js";
import { CircuitBreaker } from "./circuit-breaker.js";

const KEY = "idp:login.example/t/token";

function setup(policy = {}) {
  const clock = new FakeClock();
  const store = new MemoryStore();
  return { clock, store, breaker: new CircuitBreaker(store, clock, policy) };
}

function failTimes(breaker: CircuitBreaker, n: number) {
  for (let i = 0; i < n; i++) breaker.recordFailure(KEY, breaker.admit(KEY));
}

function admitError(breaker: CircuitBreaker): AuthShellError {
  try {
    breaker.admit(KEY);
  } catch (error) {
    if (error instanceof AuthShellError) return error;
    throw error;
  }
  throw new Error("expected admit to throw");
}

describe("CircuitBreaker", () => {
  it("admits normally while closed and stays closed below the threshold", () => {
    const { breaker } = setup();
    failTimes(breaker, 2);
    expect(breaker.admit(KEY)).toEqual({ key: KEY, probe: false });
    expect(breaker.stateOf(KEY)).toMatchObject({ phase: "closed", consecutiveFailures: 2 });
  });

  it("a success resets the failure count", () => {
    const { breaker } = setup();
    failTimes(breaker, 2);
    breaker.recordSuccess(KEY);
    failTimes(breaker, 2);
    expect(breaker.stateOf(KEY).phase).toBe("closed");
  });

  it("opens after consecutive failures and fails fast with idp_unavailable + retryAfterMs", async () => {
    const { breaker, clock } = setup();
    failTimes(breaker, 3);
    await clock.advance(10_000);
    const error = admitError(breaker);
    expect(error.code).toBe("idp_unavailable");
    expect(error.retryable).toBe(true);
    expect(error.retryAfterMs).toBe(20_000);
    expect(breaker.remainingMs(KEY)).toBe(20_000);
  });

  it("after the cool-down admits exactly one half-open probe; others fail fast", async () => {
    const { breaker, clock } = setup();
    failTimes(breaker, 3);
    await clock.advance(30_000);
    expect(breaker.remainingMs(KEY)).toBe(0);
    const results = Array.from({ length: 10 }, () => {
      try {
        return breaker.admit(KEY).probe ? "probe" : "pass";
      } catch (error) {
        return (error as AuthShellError).code;
      }
    });
    expect(results.filter((r) => r === "probe")).toHaveLength(1);
    expect(results.filter((r) => r === "idp_unavailable")).toHaveLength(9);
    expect(admitError(breaker).retryAfterMs).toBe(5_000);
  });

  it("a successful probe closes the breaker", async () => {
    const { breaker, clock } = setup();
    failTimes(breaker, 3);
    await clock.advance(30_000);
    breaker.admit(KEY);
    breaker.recordSuccess(KEY);
    expect(breaker.stateOf(KEY)).toEqual({ key: KEY, phase: "closed", consecutiveFailures: 0 });
    expect(breaker.admit(KEY).probe).toBe(false);
    expect(breaker.snapshot()).toEqual([]);
  });

  it("a failed probe reopens for another cool-down", async () => {
    const { breaker, clock } = setup();
    failTimes(breaker, 3);
    await clock.advance(30_000);
    const probe = breaker.admit(KEY);
    await clock.advance(1_000);
    breaker.recordFailure(KEY, probe);
    expect(breaker.stateOf(KEY)).toMatchObject({ phase: "open", openUntil: clock.now() + 30_000 });
    expect(admitError(breaker).retryAfterMs).toBe(30_000);
  });

  it("a probe that never reports is replaced after probeTimeoutMs", async () => {
    const { breaker, clock } = setup({ probeTimeoutMs: 8_000 });
    failTimes(breaker, 3);
    await clock.advance(30_000);
    breaker.admit(KEY);
    expect(breaker.remainingMs(KEY)).toBe(8_000);
    await clock.advance(8_000);
    expect(breaker.admit(KEY).probe).toBe(true);
  });

  it("release() frees the probe slot without a verdict", async () => {
    const { breaker, clock } = setup();
    failTimes(breaker, 3);
    await clock.advance(30_000);
    const probe = breaker.admit(KEY);
    breaker.release(probe);
    expect(breaker.admit(KEY).probe).toBe(true);
    breaker.release({ key: KEY, probe: false });
    expect(breaker.stateOf(KEY).phase).toBe("half_open");
  });

  it("a straggler failure while open keeps the cool-down", async () => {
    const { breaker, clock } = setup();
    failTimes(breaker, 3);
    const openUntil = breaker.stateOf(KEY).openUntil;
    await clock.advance(5_000);
    breaker.recordFailure(KEY);
    expect(breaker.stateOf(KEY)).toMatchObject({ phase: "open", openUntil, consecutiveFailures: 4 });
  });

  it("persists its state: a restarted breaker is still open", async () => {
    const { breaker, clock, store } = setup();
    failTimes(breaker, 3);
    await breaker.flush();
    await clock.advance(10_000);
    const restarted = new CircuitBreaker(store, clock);
    await restarted.load();
    expect(admitError(restarted).retryAfterMs).toBe(20_000);
    expect(restarted.snapshot()).toEqual([expect.objectContaining({ key: KEY, phase: "open" })]);
  });

  it("forgets a closed breaker in the store and ignores malformed records", async () => {
    const { breaker, clock, store } = setup();
    failTimes(breaker, 3);
    await clock.advance(30_000);
    breaker.admit(KEY);
    breaker.recordSuccess(KEY);
    await store.set("breaker:junk", { phase: "weird" });
    await breaker.flush();
    expect(await store.get("breaker:" + KEY)).toBeUndefined();
    const restarted = new CircuitBreaker(store, clock);
    await restarted.load();
    expect(restarted.snapshot()).toEqual([]);
  });

  it("keeps working in memory when the store fails", async () => {
    const clock = new FakeClock();
    const store = Object.assign(new MemoryStore(), {
      set: async () => {
        throw new Error("quota");
      },
    });
    const breaker = new CircuitBreaker(store, clock);
    failTimes(breaker, 3);
    await breaker.flush();
    expect(admitError(breaker).code).toBe("idp_unavailable");
  });

  it("lists breakers sorted by key; in-memory state wins over the store on load", async () => {
    const { breaker, clock, store } = setup();
    breaker.recordFailure("z:key");
    failTimes(breaker, 3);
    breaker.recordFailure("a:key");
    expect(breaker.snapshot().map((s) => [s.key, s.phase])).toEqual([
      ["a:key", "closed"],
      [KEY, "open"],
      ["z:key", "closed"],
    ]);
    await store.set("breaker:" + KEY, { key: KEY, phase: "closed", consecutiveFailures: 1 });
    await store.set("breaker:scalar", 42);
    await breaker.load();
    expect(breaker.stateOf(KEY).phase).toBe("open");
    expect(breaker.stateOf("scalar")).toEqual({ key: "scalar", phase: "closed", consecutiveFailures: 0 });
    await clock.advance(0);
  });

  it("releasing a probe that already has a verdict changes nothing", async () => {
    const { breaker, clock } = setup();
    failTimes(breaker, 3);
    await clock.advance(30_000);
    const probe = breaker.admit(KEY);
    breaker.recordSuccess(KEY);
    breaker.release(probe);
    expect(breaker.stateOf(KEY).phase).toBe("closed");
  });
});
