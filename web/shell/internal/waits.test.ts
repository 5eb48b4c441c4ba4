import { describe, expect, it } from "vitest";
import { FakeClock } from "../../../e2e/support/unit/fake-clock.js";
import { MemoryStore } from "../../../shared/storage/memory-store.js";
import { RetryAfterGate } from "../../../shared/resilience/retry-after-gate.js";
import { CircuitBreaker } from "../../../shared/resilience/circuit-breaker.js";
import { activeWaits, BrokerWaits } from "./waits.js";

describe("BrokerWaits (extension mode: waits the broker reports only in its errors)", () => {
  it("shows a throttled broker and counts the wait down until it is over", async () => {
    const clock = new FakeClock();
    const waits = new BrokerWaits(clock);
    expect(waits.noteFailure("throttled", 59_000)).toBe(true);
    expect(waits.active()).toEqual([expect.objectContaining({ kind: "throttled", source: "broker", remainingMs: 59_000 })]);
    await clock.advance(10_000);
    expect(waits.active()[0]?.remainingMs).toBe(49_000);
    await clock.advance(49_000);
    expect(waits.active()).toEqual([]);
  });

  it("records a backoff after a 503 and forgets it once a token arrives", () => {
    const clock = new FakeClock();
    const waits = new BrokerWaits(clock);
    waits.noteFailure("idp_unavailable", 15_000);
    expect(waits.active()[0]).toMatchObject({ kind: "unavailable", remainingMs: 15_000 });
    waits.clear();
    expect(waits.active()).toEqual([]);
  });

  it("ignores errors that carry no wait", () => {
    const waits = new BrokerWaits(new FakeClock());
    expect(waits.noteFailure("throttled", undefined)).toBe(false);
    expect(waits.noteFailure("user_cancelled", 5_000)).toBe(false);
    expect(waits.active()).toEqual([]);
  });
});

describe("activeWaits", () => {
  it("merges the page's closed gates, open breakers and the broker's waits", async () => {
    const clock = new FakeClock();
    const store = new MemoryStore();
    const gate = new RetryAfterGate(store, clock);
    const breaker = new CircuitBreaker(store, clock);
    await gate.close("resource:graph.test", 30_000);
    breaker.recordFailure("idp:login.test/t/token");
    const broker = new BrokerWaits(clock);
    broker.noteFailure("throttled", 5_000);
    const waits = activeWaits(gate, breaker, broker, clock);
    expect(waits.map((w) => [w.subject, w.source, w.kind])).toEqual([
      [{ kind: "resource", host: "graph.test" }, "gate", "throttled"],
      [{ kind: "idp", host: "login.test", tenant: "t", endpoint: "token" }, "backoff", "unavailable"],
      [undefined, "broker", "throttled"],
    ]);
    expect(JSON.stringify(waits)).not.toMatch(/idp:|resource:/);
  });
});
