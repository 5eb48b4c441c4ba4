import { describe, expect, it } from "vitest";
import { AuthShellError } from "../errors.js";
import type { KeyValueStore } from "../ports.js";
import { MemoryStore } from "../storage/memory-store.js";
import { FakeClock } from "../../e2e/support/unit/fake-clock.js";
import { idpGateKey, resourceGateKey } from "./gate-keys.js";
import { RetryAfterGate } from "./retry-after-gate.js";
import { recordEvents } from "../../e2e/support/unit/event-recorder.js";

const IDP = idpGateKey("login.example", "tenant-1");
const GRAPH = resourceGateKey("graph.example");

function thrown(fn: () => void): AuthShellError {
  try {
    fn();
  } catch (error) {
    if (error instanceof AuthShellError) return error;
    throw error;
  }
  throw new Error("expected a throw");
}

describe("RetryAfterGate", () => {
  it("builds keys per IdP endpoint and per resource host", () => {
    expect(IDP).toBe("idp:login.example/tenant-1/token");
    expect(idpGateKey("h", "t", "authorize")).toBe("idp:h/t/authorize");
    expect(GRAPH).toBe("resource:graph.example");
  });

  it("is open for unknown keys", () => {
    const gate = new RetryAfterGate(new MemoryStore(), new FakeClock());
    expect(() => gate.check(IDP)).not.toThrow();
    expect(gate.remainingMs(IDP)).toBe(0);
    expect(gate.snapshot()).toEqual([]);
  });

  it("throws a retryable 'throttled' with retryAfterMs while closed, and opens when the time has passed", async () => {
    const clock = new FakeClock();
    const gate = new RetryAfterGate(new MemoryStore(), clock);
    await gate.close(IDP, 30_000);
    await clock.advance(10_000);
    const error = thrown(() => gate.check(IDP));
    expect(error.code).toBe("throttled");
    expect(error.retryable).toBe(true);
    expect(error.retryAfterMs).toBe(20_000);
    await clock.advance(19_999);
    expect(() => gate.check(IDP)).toThrow(AuthShellError);
    await clock.advance(1);
    expect(() => gate.check(IDP)).not.toThrow();
    expect(gate.snapshot()).toEqual([]);
  });

  it("keeps keys independent", async () => {
    const gate = new RetryAfterGate(new MemoryStore(), new FakeClock());
    await gate.close(GRAPH, 5_000);
    expect(() => gate.check(IDP)).not.toThrow();
    expect(() => gate.check(GRAPH)).toThrow(AuthShellError);
  });

  it("keeps the longer closure when closed twice, and ignores non-positive waits", async () => {
    const clock = new FakeClock();
    const gate = new RetryAfterGate(new MemoryStore(), clock);
    await gate.close(IDP, 60_000);
    await gate.close(IDP, 5_000);
    await gate.close(IDP, 0);
    await gate.close(IDP, Number.NaN);
    expect(gate.remainingMs(IDP)).toBe(60_000);
    await gate.close(GRAPH, -1);
    expect(gate.remainingMs(GRAPH)).toBe(0);
  });

  it("closes synchronously, before the store write settles", () => {
    const gate = new RetryAfterGate(new MemoryStore(), new FakeClock());
    void gate.close(IDP, 1_000);
    expect(() => gate.check(IDP)).toThrow(AuthShellError);
  });

  it("survives a restart: a new gate over the same store is still closed after load()", async () => {
    const clock = new FakeClock();
    const store = new MemoryStore();
    await new RetryAfterGate(store, clock).close(IDP, 120_000);
    await clock.advance(20_000);
    const restarted = new RetryAfterGate(store, clock);
    await restarted.load();
    expect(thrown(() => restarted.check(IDP)).retryAfterMs).toBe(100_000);
    expect(restarted.snapshot()).toEqual([{ key: IDP, closedUntil: clock.now() + 100_000, remainingMs: 100_000 }]);
  });

  it("drops expired and malformed records on load", async () => {
    const clock = new FakeClock();
    const store = new MemoryStore();
    await new RetryAfterGate(store, clock).close(IDP, 1_000);
    await store.set("gate:broken", { closedUntil: "soon" });
    await clock.advance(5_000);
    const restarted = new RetryAfterGate(store, clock);
    await restarted.load();
    expect(restarted.snapshot()).toEqual([]);
    expect(await store.entries("gate:")).toEqual([]);
  });

  it("open() reopens at once and forgets the persisted closure", async () => {
    const store = new MemoryStore();
    const gate = new RetryAfterGate(store, new FakeClock());
    await gate.close(IDP, 10_000);
    await gate.open(IDP);
    expect(() => gate.check(IDP)).not.toThrow();
    expect(await store.get("gate:" + IDP)).toBeUndefined();
  });

  it("lists closed gates sorted by key", async () => {
    const gate = new RetryAfterGate(new MemoryStore(), new FakeClock());
    await gate.close(IDP, 2_000);
    await gate.close(GRAPH, 1_000);
    await gate.close("a:first", 3_000);
    expect(gate.snapshot().map((s) => [s.key, s.remainingMs])).toEqual([
      ["a:first", 3_000],
      [IDP, 2_000],
      [GRAPH, 1_000],
    ]);
  });

  it("stays closed in memory when persisting fails, and says so in an event", async () => {
    const failing: KeyValueStore = Object.assign(new MemoryStore(), {
      set: async () => {
        throw new Error("disk full");
      },
    });
    const events = recordEvents();
    const gate = new RetryAfterGate(failing, new FakeClock(), events.emitter);
    await gate.close(IDP, 1_000);
    expect(() => gate.check(IDP)).toThrow(AuthShellError);
    expect(events.list).toMatchObject([{ type: "storage.write_failed", detail: { prefix: "gate:" } }]);
  });
});
