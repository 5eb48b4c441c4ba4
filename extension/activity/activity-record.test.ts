import { describe, expect, it } from "vitest";
import { MemoryStore } from "../../shared/storage/memory-store.js";
import { FakeClock } from "../../e2e/support/unit/fake-clock.js";
import type { BrokerEvent, KeyValueStore, StoreBatch } from "../../shared/ports.js";
import type { ActivityEntry } from "../protocol/views.js";
import { activityEntry } from "./activity-entry.js";
import { ACTIVITY_CHUNK_PREFIX, ActivityRecord, type ActivityRecordDeps } from "./activity-record.js";

const DAY = 86_400_000;

function setup(overrides: Partial<ActivityRecordDeps> = {}, store: KeyValueStore = new MemoryStore()) {
  const clock = new FakeClock();
  const events: BrokerEvent[] = [];
  const record = new ActivityRecord({ store: async () => store, clock, events: { emit: (e) => events.push(e) }, chunkSize: 4, minIntervalMs: 0, ...overrides });
  return { clock, events, record, store };
}

function entry(at: number, overrides: Partial<ActivityEntry> = {}): ActivityEntry {
  return {
    at,
    caller: "page",
    origin: "https://app.contoso.test",
    frameOrigin: "https://app.contoso.test",
    clientId: "client-1",
    scopes: ["User.Read"],
    homeAccountId: "uid.tid",
    username: "adele@contoso.test",
    source: "cache",
    correlationId: `c-${at}`,
    ...overrides,
  };
}

async function chunkKeys(store: KeyValueStore): Promise<string[]> {
  return (await store.entries(ACTIVITY_CHUNK_PREFIX)).map(([key]) => key);
}

describe("ActivityRecord", () => {
  it("returns what was recorded, newest first, across chunks and a reopened record", async () => {
    const { clock, record, store } = setup();
    for (let i = 0; i < 10; i++) record.record(entry(clock.now() + i));
    expect((await record.query()).map((e) => e.at - clock.now())).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
    expect(await chunkKeys(store)).toHaveLength(3); // 4 + 4 + 2

    // A restarted worker reads the same record, and appends to the open chunk.
    const reopened = new ActivityRecord({ store: async () => store, clock, events: { emit: () => undefined }, chunkSize: 4 });
    reopened.record(entry(clock.now() + 10));
    expect((await reopened.query({ limit: 3 })).map((e) => e.at - clock.now())).toEqual([10, 9, 8]);
    expect(await chunkKeys(store)).toHaveLength(3);
  });

  it("filters by origin (top or frame), account (id or username, any case) and time", async () => {
    const { clock, record } = setup();
    const t0 = clock.now();
    record.record(entry(t0, { origin: "https://top.test", frameOrigin: "https://app.contoso.test" }));
    record.record(entry(t0 + 1, { origin: "https://other.test", frameOrigin: "https://other.test", username: "ben@contoso.test", homeAccountId: "ben.tid" }));
    record.record(entry(t0 + 2));
    expect((await record.query({ origin: "https://top.test" })).map((e) => e.at)).toEqual([t0]);
    expect((await record.query({ origin: "https://app.contoso.test" })).map((e) => e.at)).toEqual([t0 + 2, t0]);
    expect((await record.query({ account: "BEN@contoso.test" })).map((e) => e.at)).toEqual([t0 + 1]);
    expect((await record.query({ account: "ben.tid" })).map((e) => e.at)).toEqual([t0 + 1]);
    expect((await record.query({ since: t0 + 1 })).map((e) => e.at)).toEqual([t0 + 2, t0 + 1]);
  });

  it("a query for one site or account reads only the chunks that hold it", async () => {
    const inner = new MemoryStore();
    const read: string[] = [];
    const counting: KeyValueStore = Object.assign(Object.create(inner) as KeyValueStore, {
      get: (key: string) => (read.push(key), inner.get(key)),
    });
    const { clock, record } = setup({}, counting);
    for (let i = 0; i < 12; i++) record.record(entry(clock.now() + i, i < 4 ? { frameOrigin: "https://rare.test", origin: "https://rare.test", username: "ben@contoso.test" } : {}));
    await record.settled();
    read.length = 0;
    expect(await record.query({ origin: "https://rare.test" })).toHaveLength(4);
    expect(read.filter((k) => k.startsWith(ACTIVITY_CHUNK_PREFIX))).toEqual([`${ACTIVITY_CHUNK_PREFIX}0000000000`]);
    read.length = 0;
    expect(await record.query({ account: "Ben@contoso.test" })).toHaveLength(4);
    expect(read.filter((k) => k.startsWith(ACTIVITY_CHUNK_PREFIX))).toEqual([`${ACTIVITY_CHUNK_PREFIX}0000000000`]);
  });

  it("writes a burst as one batch: the queue drains one write at a time", async () => {
    const inner = new MemoryStore();
    const batches: StoreBatch[] = [];
    const counting: KeyValueStore = Object.assign(Object.create(inner) as KeyValueStore, {
      batch: (ops: StoreBatch) => (batches.push(ops), inner.batch(ops)),
    });
    const { clock, record } = setup({ chunkSize: 100 }, counting);
    for (let i = 0; i < 50; i++) record.record(entry(clock.now() + i));
    await record.settled();
    // The first entry starts a write; the 49 queued meanwhile land together in the second.
    expect(batches).toHaveLength(2);
    expect(await record.query()).toHaveLength(50);
  });

  it("under load, writes at most once per interval: the first entry at once, the rest together at the interval's end", async () => {
    const inner = new MemoryStore();
    const batches: StoreBatch[] = [];
    const counting: KeyValueStore = Object.assign(Object.create(inner) as KeyValueStore, {
      batch: (ops: StoreBatch) => (batches.push(ops), inner.batch(ops)),
    });
    const scheduled: Array<{ run: () => void; ms: number }> = [];
    const { clock, record } = setup({ chunkSize: 100, minIntervalMs: 100, schedule: (run, ms) => (scheduled.push({ run, ms }), () => undefined) }, counting);
    record.record(entry(clock.now()));
    await new Promise((r) => setTimeout(r, 0));
    expect(batches).toHaveLength(1);
    await clock.advance(10);
    for (let i = 1; i <= 20; i++) record.record(entry(clock.now() + i));
    await new Promise((r) => setTimeout(r, 0));
    expect(batches).toHaveLength(1); // Queued, not written: the interval has 90 ms to go.
    expect(scheduled.map((s) => s.ms)).toEqual([90]);
    await clock.advance(90);
    scheduled[0]!.run();
    await new Promise((r) => setTimeout(r, 0));
    expect(batches).toHaveLength(2);
    expect(await record.query()).toHaveLength(21);
  });

  it("settled() writes what is queued without waiting for the interval", async () => {
    const { clock, record } = setup({ minIntervalMs: 60_000, schedule: () => () => undefined });
    record.record(entry(clock.now()));
    record.record(entry(clock.now() + 1));
    await record.settled();
    record.record(entry(clock.now() + 2)); // Inside the interval: only scheduled…
    expect((await record.query()).map((e) => e.at - clock.now())).toEqual([2, 1, 0]); // …until a query needs it.
  });

  it("keeps at most maxEntries, dropping the oldest whole chunks", async () => {
    const { clock, record, store } = setup({ bound: { maxEntries: 10 } });
    for (let i = 0; i < 25; i++) {
      record.record(entry(clock.now() + i));
      await record.settled();
    }
    const kept = await record.query();
    expect(kept.length).toBeLessThanOrEqual(10);
    expect(kept.length).toBeGreaterThan(10 - 4);
    expect(kept[0]!.at - clock.now()).toBe(24);
    expect((await chunkKeys(store)).length).toBeLessThanOrEqual(3);
  });

  it("shows nothing older than maxDays and stores nothing an hour past it", async () => {
    const { clock, record, store } = setup({ bound: { maxDays: 30 } });
    record.record(entry(clock.now(), { frameOrigin: "https://old.test" }));
    record.record(entry(clock.now() + 1));
    await record.settled();
    await clock.advance(30 * DAY + 10);
    expect(await record.query()).toEqual([]); // Filtered at once…
    expect(await record.lastUse()).toEqual({});
    await clock.advance(3_600_000);
    record.record(entry(clock.now()));
    await record.settled();
    // …and gone from the store with the next write once an hour past the bound.
    const stored = (await store.entries<ActivityEntry[]>(ACTIVITY_CHUNK_PREFIX)).flatMap(([, e]) => e);
    expect(stored.map((e) => e.at)).toEqual([clock.now()]);
  });

  it("keeps each frame origin's last use", async () => {
    const { clock, record } = setup();
    const t0 = clock.now();
    record.record(entry(t0, { frameOrigin: "https://a.test" }));
    record.record(entry(t0 + 5, { frameOrigin: "https://b.test" }));
    record.record(entry(t0 + 7, { frameOrigin: "https://a.test" }));
    expect(await record.lastUse()).toEqual({ "https://a.test": t0 + 7, "https://b.test": t0 + 5 });
  });

  it("reports a failed write as an event and keeps recording afterwards", async () => {
    const inner = new MemoryStore();
    let fail = true;
    const flaky: KeyValueStore = Object.assign(Object.create(inner) as KeyValueStore, {
      batch: (ops: StoreBatch) => (fail ? Promise.reject(new Error("QuotaExceededError")) : inner.batch(ops)),
    });
    const { clock, events, record } = setup({}, flaky);
    record.record(entry(clock.now()));
    await record.settled();
    expect(events.map((e) => [e.type, e.detail?.lost])).toEqual([["activity.write_failed", 1]]);
    fail = false;
    record.record(entry(clock.now() + 1));
    expect((await record.query()).map((e) => e.at - clock.now())).toEqual([1]);
  });

  it("builds an entry from a token result without the token values", () => {
    const result = {
      accessToken: "eyJ.secret-access",
      idToken: "eyJ.secret-id",
      scopes: ["User.Read"],
      account: { homeAccountId: "uid.tid", username: "adele@contoso.test", localAccountId: "uid", tenantId: "tid", environment: "login" },
      source: "refresh_token" as const,
      correlationId: "corr",
    };
    const built = activityEntry(result, { caller: "library", origin: "chrome-extension://x", frameOrigin: "chrome-extension://x", clientId: "c" }, 5);
    expect(JSON.stringify(built)).not.toContain("secret");
    expect(built).toMatchObject({ at: 5, caller: "library", source: "refresh_token", username: "adele@contoso.test", scopes: ["User.Read"] });
  });
});
