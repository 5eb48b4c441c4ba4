import { describe, expect, it } from "vitest";
import { AuthShellError } from "../errors.js";
import { MemoryStore } from "../storage/memory-store.js";
import { FakeClock } from "../../e2e/support/unit/fake-clock.js";
import { FakeRandom } from "../../e2e/support/unit/fake-random.js";
import { backoffDelay } from "./backoff.js";
import { CircuitBreaker, type CircuitBreakerPolicy } from "./circuit-breaker.js";
import { recordEvents } from "../../e2e/support/unit/event-recorder.js";
import { FailingStore } from "../../e2e/support/unit/failing-store.js";

const KEY = "idp:login.example/t/token";

function setup(policy: Partial<CircuitBreakerPolicy> = {}) {
  const clock = new FakeClock();
  const store = new MemoryStore();
  return { clock, store, breaker: new CircuitBreaker(store, clock, policy) };
}

function failTimes(breaker: CircuitBreaker, n: number) {
  for (let i = 0; i < n; i++) breaker.recordFailure(KEY, breaker.admit(KEY));
}

/** Fails the first request, then `probes - 1` probes, each as soon as the breaker admits one. */
async function failProbes(breaker: CircuitBreaker, clock: FakeClock, probes: number) {
  for (let i = 0; i < probes; i++) {
    await clock.advance(breaker.remainingMs(KEY));
    breaker.recordFailure(KEY, breaker.admit(KEY));
  }
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
  it("the FIRST failure opens the key for at least 5 s: nobody else reaches the endpoint meanwhile", async () => {
    const { breaker, clock } = setup();
    failTimes(breaker, 1);
    expect(breaker.stateOf(KEY)).toMatchObject({ phase: "open", consecutiveFailures: 1, openUntil: clock.now() + 5_000 });
    await clock.advance(1_000);
    const error = admitError(breaker);
    expect(error.code).toBe("idp_unavailable");
    expect(error.retryable).toBe(true);
    expect(error.retryAfterMs).toBe(4_000);
    expect(breaker.remainingMs(KEY)).toBe(4_000);
    await clock.advance(3_999);
    expect(admitError(breaker).retryAfterMs).toBe(1);
    await clock.advance(1);
    expect(breaker.admit(KEY).probe).toBe(true);
  });

  it("each failed probe opens a longer window: 5 s, 10 s, 20 s, 40 s, then capped at 60 s", async () => {
    const { breaker, clock } = setup();
    const windows: number[] = [];
    for (let i = 0; i < 7; i++) {
      await failProbes(breaker, clock, 1);
      windows.push(breaker.remainingMs(KEY));
    }
    expect(windows).toEqual([5_000, 10_000, 20_000, 40_000, 60_000, 60_000, 60_000]);
    expect(breaker.stateOf(KEY).consecutiveFailures).toBe(7);
  });

  it("with a Random the windows are jittered upward only (never under 5 s) and stay capped", async () => {
    const clock = new FakeClock();
    const random = new FakeRandom([0.5, 0.999, 0.25, 0.5, 0.5]);
    const breaker = new CircuitBreaker(new MemoryStore(), clock, {}, random);
    const windows: number[] = [];
    for (let i = 0; i < 5; i++) {
      await failProbes(breaker, clock, 1);
      windows.push(breaker.remainingMs(KEY));
    }
    const replay = new FakeRandom([0.5, 0.999, 0.25, 0.5, 0.5]);
    expect(windows).toEqual([1, 2, 3, 4, 5].map((n) => backoffDelay(n, replay)));
    expect(windows[0]).toBe(5_500);
    expect(windows.slice(0, 4).every((w, i) => w >= 5_000 * 2 ** i)).toBe(true);
    expect(windows[4]).toBeLessThanOrEqual(60_000);
  });

  it("a success closes the breaker and the next outage starts again at 5 s", async () => {
    const { breaker, clock } = setup();
    await failProbes(breaker, clock, 3);
    await clock.advance(breaker.remainingMs(KEY));
    breaker.admit(KEY);
    breaker.recordSuccess(KEY);
    expect(breaker.stateOf(KEY)).toEqual({ key: KEY, phase: "closed", consecutiveFailures: 0 });
    expect(breaker.admit(KEY).probe).toBe(false);
    expect(breaker.snapshot()).toEqual([]);
    failTimes(breaker, 1);
    expect(breaker.remainingMs(KEY)).toBe(5_000);
  });

  it("a higher failureThreshold stays closed below it, then starts the windows at 5 s", () => {
    const { breaker } = setup({ failureThreshold: 3 });
    failTimes(breaker, 2);
    expect(breaker.admit(KEY)).toEqual({ key: KEY, probe: false });
    expect(breaker.stateOf(KEY)).toMatchObject({ phase: "closed", consecutiveFailures: 2 });
    breaker.recordSuccess(KEY);
    failTimes(breaker, 2);
    expect(breaker.stateOf(KEY).phase).toBe("closed");
    failTimes(breaker, 1);
    expect(breaker.stateOf(KEY).phase).toBe("open");
    expect(breaker.remainingMs(KEY)).toBe(5_000);
  });

  it("honours a custom backoff policy for the windows", async () => {
    const { breaker, clock } = setup({ backoff: { baseMs: 8_000, factor: 3, maxMs: 100_000, jitter: 0 } });
    await failProbes(breaker, clock, 1);
    expect(breaker.remainingMs(KEY)).toBe(8_000);
    await failProbes(breaker, clock, 1);
    expect(breaker.remainingMs(KEY)).toBe(24_000);
  });

  it("after the window admits exactly one half-open probe; others fail fast", async () => {
    const { breaker, clock } = setup();
    failTimes(breaker, 1);
    await clock.advance(5_000);
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

  it("a failed probe reopens for the next, longer window measured from its failure", async () => {
    const { breaker, clock } = setup();
    failTimes(breaker, 1);
    await clock.advance(5_000);
    const probe = breaker.admit(KEY);
    await clock.advance(1_000);
    breaker.recordFailure(KEY, probe);
    expect(breaker.stateOf(KEY)).toMatchObject({ phase: "open", consecutiveFailures: 2, openUntil: clock.now() + 10_000 });
    expect(admitError(breaker).retryAfterMs).toBe(10_000);
  });

  it("a probe that never reports is replaced after probeTimeoutMs", async () => {
    const { breaker, clock } = setup({ probeTimeoutMs: 8_000 });
    failTimes(breaker, 1);
    await clock.advance(5_000);
    breaker.admit(KEY);
    expect(breaker.remainingMs(KEY)).toBe(8_000);
    await clock.advance(8_000);
    expect(breaker.admit(KEY).probe).toBe(true);
  });

  it("release() frees the probe slot without a verdict", async () => {
    const { breaker, clock } = setup();
    failTimes(breaker, 1);
    await clock.advance(5_000);
    const probe = breaker.admit(KEY);
    breaker.release(probe);
    expect(breaker.stateOf(KEY).consecutiveFailures).toBe(1);
    expect(breaker.admit(KEY).probe).toBe(true);
    breaker.release({ key: KEY, probe: false });
    expect(breaker.stateOf(KEY).phase).toBe("half_open");
  });

  it("stragglers (sent before it opened) neither grow the window nor let a probe go right after them", async () => {
    const { breaker, clock } = setup();
    const early = [breaker.admit(KEY), breaker.admit(KEY), breaker.admit(KEY)];
    breaker.recordFailure(KEY, early[0]);
    const openUntil = breaker.stateOf(KEY).openUntil;
    breaker.recordFailure(KEY, early[1]);
    expect(breaker.stateOf(KEY)).toEqual({ key: KEY, phase: "open", consecutiveFailures: 1, openUntil });
    // A timeout that lands after the window: no immediate probe, one window from now.
    await clock.advance(8_000);
    breaker.recordFailure(KEY, early[2]);
    expect(breaker.stateOf(KEY)).toMatchObject({ phase: "open", consecutiveFailures: 1, openUntil: clock.now() + 5_000 });
  });

  it("persists its state: a restarted breaker keeps the window and grows the next one", async () => {
    const { breaker, clock, store } = setup();
    await failProbes(breaker, clock, 2);
    await breaker.flush();
    await clock.advance(3_000);
    const restarted = new CircuitBreaker(store, clock);
    await restarted.load();
    expect(admitError(restarted).retryAfterMs).toBe(7_000);
    expect(restarted.snapshot()).toEqual([expect.objectContaining({ key: KEY, phase: "open", consecutiveFailures: 2 })]);
    await clock.advance(7_000);
    restarted.recordFailure(KEY, restarted.admit(KEY));
    expect(restarted.remainingMs(KEY)).toBe(20_000);
  });

  it("forgets a closed breaker in the store and ignores malformed records", async () => {
    const { breaker, clock, store } = setup();
    failTimes(breaker, 1);
    await clock.advance(5_000);
    breaker.admit(KEY);
    breaker.recordSuccess(KEY);
    await store.set("breaker:junk", { phase: "weird" });
    await breaker.flush();
    expect(await store.get("breaker:" + KEY)).toBeUndefined();
    const restarted = new CircuitBreaker(store, clock);
    await restarted.load();
    expect(restarted.snapshot()).toEqual([]);
  });

  it("keeps working in memory when the store fails, and says so in an event", async () => {
    const clock = new FakeClock();
    const events = recordEvents(clock);
    const breaker = new CircuitBreaker(new FailingStore(), clock, {}, undefined, events.emitter);
    failTimes(breaker, 1);
    await breaker.flush();
    expect(admitError(breaker).code).toBe("idp_unavailable");
    expect(events.list).toMatchObject([{ type: "storage.write_failed", detail: { prefix: "breaker:", code: "storage_error" } }]);
  });

  it("lists breakers sorted by key; in-memory state wins over the store on load", async () => {
    const { breaker, store } = setup({ failureThreshold: 2 });
    breaker.recordFailure("z:key");
    failTimes(breaker, 2);
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
  });

  it("releasing a probe that already has a verdict changes nothing", async () => {
    const { breaker, clock } = setup();
    failTimes(breaker, 1);
    await clock.advance(5_000);
    const probe = breaker.admit(KEY);
    breaker.recordSuccess(KEY);
    breaker.release(probe);
    expect(breaker.stateOf(KEY).phase).toBe("closed");
  });

  it("check() turns callers away like admit() (open window, probe in flight) without claiming the probe", async () => {
    const { breaker, clock } = setup();
    expect(() => breaker.check(KEY)).not.toThrow();
    failTimes(breaker, 1);
    await clock.advance(2_000);
    const whileOpen = (() => {
      try {
        breaker.check(KEY);
      } catch (error) {
        return error as AuthShellError;
      }
      return undefined;
    })();
    expect(whileOpen).toMatchObject({ code: "idp_unavailable", retryable: true, retryAfterMs: 3_000 });
    await clock.advance(3_000);
    breaker.check(KEY); // the window has passed: a probe may go …
    expect(breaker.stateOf(KEY).phase).toBe("open"); // … and check() did not take it
    expect(breaker.admit(KEY).probe).toBe(true);
    expect(() => breaker.check(KEY)).toThrow(expect.objectContaining({ code: "idp_unavailable", retryAfterMs: 5_000 }));
  });
});
