import { describe, expect, it } from "vitest";
import { recordEvents } from "../../e2e/support/unit/event-recorder.js";
import { FailingStore } from "../../e2e/support/unit/failing-store.js";
import { describeStoreContract } from "../../e2e/support/unit/store-contract.js";
import type { KeyValueStore } from "../ports.js";
import { STORE_PREFIXES } from "./key-prefixes.js";
import { MemoryStore } from "./memory-store.js";
import { PersistedRecords } from "./persisted-records.js";

interface Wait {
  until: number;
}

const readWait = (value: unknown): Wait | undefined => {
  const until = (value as Partial<Wait> | null)?.until;
  return typeof until === "number" ? { until } : undefined;
};

function records(store: KeyValueStore | undefined, extra: Partial<ConstructorParameters<typeof PersistedRecords<Wait>>[0]> = {}) {
  const events = recordEvents();
  const held = new PersistedRecords<Wait>({ store, prefix: STORE_PREFIXES.cooldown, what: "a test wait", read: readWait, emit: events.emitter, ...extra });
  return { held, events };
}

describeStoreContract("FailingStore with writes allowed", async () => Object.assign(new FailingStore(), { failWrites: false }));

describe("PersistedRecords", () => {
  it("writes through under its prefix, and a restart finds what was written", async () => {
    const store = new MemoryStore();
    const { held } = records(store);
    await held.set("a", { until: 5 });
    await held.set("b", { until: 7 });
    await held.delete("a");
    expect(await store.entries("")).toEqual([["cooldown:b", { until: 7 }]]);
    const restarted = records(store).held;
    await restarted.load();
    expect(restarted.entries()).toEqual([["b", { until: 7 }]]);
  });

  it("deletes what it cannot read on load, and keeps other prefixes alone", async () => {
    const store = new MemoryStore();
    await store.set("cooldown:ok", { until: 1 });
    await store.set("cooldown:junk", { until: "soon" });
    await store.set("cooldownish", { until: 2 });
    await store.set("gate:x", { closedUntil: 3 });
    const { held } = records(store);
    await held.load();
    expect(held.entries()).toEqual([["ok", { until: 1 }]]);
    expect((await store.entries("")).map(([k]) => k)).toEqual(["cooldown:ok", "cooldownish", "gate:x"]);
  });

  it("keeps the record in memory over the stored one on load, unless merge chooses", async () => {
    const store = new MemoryStore();
    await store.set("cooldown:k", { until: 9 });
    const memoryWins = records(store).held;
    await memoryWins.set("k", { until: 3 });
    await store.set("cooldown:k", { until: 9 });
    await memoryWins.load();
    expect(memoryWins.get("k")).toEqual({ until: 3 });
    const later = records(store, { merge: (a, b) => (b.until > a.until ? b : a) }).held;
    void later.set("k", { until: 4 });
    await later.flush();
    await store.set("cooldown:k", { until: 9 });
    await later.load();
    expect(later.get("k")).toEqual({ until: 9 });
  });

  it("deleteWhere forgets the matching records in one write", async () => {
    const store = new MemoryStore();
    const { held } = records(store);
    await held.set("a", { until: 1 });
    await held.set("b", { until: 2 });
    await held.set("c", { until: 3 });
    await held.deleteWhere((r) => r.until >= 2);
    expect(held.entries()).toEqual([["a", { until: 1 }]]);
    expect((await store.entries(STORE_PREFIXES.cooldown)).map(([k]) => k)).toEqual(["cooldown:a"]);
  });

  it("memory only without a store", async () => {
    const { held, events } = records(undefined);
    await held.set("a", { until: 1 });
    await held.load();
    expect(held.get("a")).toEqual({ until: 1 });
    expect(events.list).toEqual([]);
  });

  describe("when the store refuses writes", () => {
    it("never rejects: memory holds the change and each refused write is one storage.write_failed event", async () => {
      const store = new FailingStore();
      const { held, events } = records(store);
      await expect(held.set("a", { until: 1 })).resolves.toBeUndefined();
      expect(held.get("a")).toEqual({ until: 1 });
      await held.delete("a");
      expect(held.get("a")).toBeUndefined();
      expect(store.refused).toBe(2);
      expect(events.list).toMatchObject([
        { type: "storage.write_failed", detail: { prefix: "cooldown:", code: "storage_error" } },
        { type: "storage.write_failed", detail: { prefix: "cooldown:", code: "storage_error" } },
      ]);
    });

    it("still loads what the store holds; a refused clean-up is an event, not a failed load", async () => {
      const store = new FailingStore();
      store.failWrites = false;
      await store.set("cooldown:ok", { until: 1 });
      await store.set("cooldown:junk", 42);
      store.failWrites = true;
      const { held, events } = records(store);
      await held.load();
      expect(held.entries()).toEqual([["ok", { until: 1 }]]);
      expect(events.types()).toEqual(["storage.write_failed"]);
    });

    it("writes nothing for a key memory never held", async () => {
      const store = new FailingStore();
      const { held, events } = records(store);
      await held.delete("never");
      await held.deleteWhere();
      expect(store.refused).toBe(0);
      expect(events.list).toEqual([]);
    });
  });
});

describe("STORE_PREFIXES", () => {
  it("no prefix starts with another, so a prefix scan meets only its own holder's records", () => {
    const prefixes = Object.values(STORE_PREFIXES);
    expect(new Set(prefixes).size).toBe(prefixes.length);
    for (const a of prefixes) for (const b of prefixes) if (a !== b) expect(a.startsWith(b), `${a} starts with ${b}`).toBe(false);
  });
});
