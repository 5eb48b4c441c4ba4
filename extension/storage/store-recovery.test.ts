import "fake-indexeddb/auto";
import { openDB } from "idb";
import { describe, expect, it } from "vitest";
import { FakeClock } from "../../e2e/support/unit/fake-clock.js";
import { recordEvents, type EventRecorder } from "../../e2e/support/unit/event-recorder.js";
import { EncryptedIdbStore } from "./encrypted-store.js";

let dbCounter = 0;
const freshName = () => `rtb-recovery-${++dbCounter}`;

const sink = recordEvents;

/** A store with one refresh token in it, closed again: what a damaged browser profile starts from. */
async function seeded(name: string): Promise<void> {
  const store = await EncryptedIdbStore.open({ dbName: name });
  await store.set("rt:seed", { refreshToken: "RT-SEED-SECRET" });
  store.close();
}

/** Proves the store works: empty, then a value written is read back, also after a reopen (no further event). */
async function expectWorkingEmptyStore(store: EncryptedIdbStore, name: string, events: EventRecorder): Promise<void> {
  expect(await store.entries("")).toEqual([]);
  await store.set("rt:new", { refreshToken: "fresh" });
  expect(await store.get("rt:new")).toEqual({ refreshToken: "fresh" });
  store.close();
  const again = await EncryptedIdbStore.open({ dbName: name, emit: events.emitter });
  expect(await again.entries("rt:")).toEqual([["rt:new", { refreshToken: "fresh" }]]);
  again.close();
}

function expectOneResetEvent(events: EventRecorder, reason: string): void {
  expect(events.list).toHaveLength(1);
  expect(events.list[0]).toMatchObject({ type: "storage.reset", detail: { reason } });
  expect(JSON.stringify(events.list)).not.toContain("RT-SEED-SECRET");
}

describe("EncryptedIdbStore recovery from a store it cannot read", () => {
  it.each([
    ["a string", "not-a-key"],
    ["an empty object", {}],
    ["a look-alike object", { type: "secret", algorithm: { name: "AES-GCM" }, usages: ["encrypt", "decrypt"] }],
  ])("replaces a key record overwritten by %s, drops what it sealed, and says so once", async (_label, junk) => {
    const name = freshName();
    await seeded(name);
    const raw = await openDB(name, 1);
    await raw.put("keys", junk, "store-key");
    raw.close();
    const events = sink(new FakeClock(42));
    const store = await EncryptedIdbStore.open({ dbName: name, emit: events.emitter });
    expectOneResetEvent(events, "key_damaged");
    expect(events.list[0]!.at).toBe(42);
    await expectWorkingEmptyStore(store, name, events);
    expect(events.list).toHaveLength(1);
  });

  it("replaces an HMAC key in the key record (a real CryptoKey, but not one that can seal)", async () => {
    const name = freshName();
    await seeded(name);
    const hmac = await crypto.subtle.generateKey({ name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
    const raw = await openDB(name, 1);
    await raw.put("keys", hmac, "store-key");
    raw.close();
    const events = sink();
    const store = await EncryptedIdbStore.open({ dbName: name, emit: events.emitter });
    expectOneResetEvent(events, "key_damaged");
    await expectWorkingEmptyStore(store, name, events);
  });

  it("discards a database at a higher version (left by a newer build) and starts clean", async () => {
    const name = freshName();
    await seeded(name);
    const newer = await openDB(name, 3, {
      upgrade(db) {
        db.createObjectStore("entries-v3");
      },
    });
    newer.close();
    const events = sink();
    const store = await EncryptedIdbStore.open({ dbName: name, emit: events.emitter });
    expectOneResetEvent(events, "version_mismatch");
    await expectWorkingEmptyStore(store, name, events);
    expect(events.list).toHaveLength(1);
  });

  it("discards a database at version 1 without its object stores and starts clean", async () => {
    const name = freshName();
    const empty = await openDB(name, 1);
    empty.close();
    const events = sink();
    const store = await EncryptedIdbStore.open({ dbName: name, emit: events.emitter });
    expectOneResetEvent(events, "missing_stores");
    await expectWorkingEmptyStore(store, name, events);
  });

  it("discards a database with only one of its two object stores", async () => {
    const name = freshName();
    const half = await openDB(name, 1, { upgrade: (db) => void db.createObjectStore("entries") });
    half.close();
    const events = sink();
    const store = await EncryptedIdbStore.open({ dbName: name, emit: events.emitter });
    expectOneResetEvent(events, "missing_stores");
    await expectWorkingEmptyStore(store, name, events);
  });

  it("lets go of its connection when another opener upgrades the database, and says so once", async () => {
    const name = freshName();
    const events = sink();
    let lost = 0;
    const store = await EncryptedIdbStore.open({ dbName: name, emit: events.emitter, onConnectionLost: () => void lost++ });
    await store.set("rt:a", "a");
    // Without letting go, this upgrade would wait for ever on the store's open connection.
    const newer = await openDB(name, 2, { upgrade: (db) => void db.deleteObjectStore("keys") });
    newer.close();
    expect(lost).toBe(1);
    expect(events.list.map((e) => [e.type, e.detail?.why])).toEqual([["storage.connection_lost", "version_change"]]);
    await expect(store.get("rt:a")).rejects.toThrow();
    const reopened = await EncryptedIdbStore.open({ dbName: name, emit: events.emitter });
    expect(events.list.map((e) => e.type)).toEqual(["storage.connection_lost", "storage.reset"]);
    expect(events.list[1]!.detail).toEqual({ reason: "version_mismatch" });
    await expectWorkingEmptyStore(reopened, name, events);
  });

  it("reports entries it cannot decrypt once per open store, and drops them", async () => {
    const name = freshName();
    const events = sink();
    const store = await EncryptedIdbStore.open({ dbName: name, emit: events.emitter });
    await store.set("rt:a", "a");
    await store.set("rt:b", "b");
    const raw = await openDB(name, 1);
    for (const key of ["rt:a", "rt:b"]) await raw.put("entries", { iv: new Uint8Array(12), data: new Uint8Array(32).buffer }, key);
    raw.close();
    expect(await store.entries("rt:")).toEqual([]);
    expect(events.list.map((e) => e.type)).toEqual(["storage.entry_dropped"]);
    const check = await openDB(name, 1);
    expect(await check.getAllKeys("entries")).toEqual([]);
    check.close();
    store.close();
  });

  it("a healthy store reopens with its data and no event", async () => {
    const name = freshName();
    await seeded(name);
    const events = sink();
    const store = await EncryptedIdbStore.open({ dbName: name, emit: events.emitter });
    expect(await store.get("rt:seed")).toEqual({ refreshToken: "RT-SEED-SECRET" });
    expect(events.list).toEqual([]);
    store.close();
  });

  it("two openers of a fresh database agree on one key", async () => {
    const name = freshName();
    const [a, b] = await Promise.all([EncryptedIdbStore.open({ dbName: name }), EncryptedIdbStore.open({ dbName: name })]);
    await a.set("k:a", "from-a");
    expect(await b.get("k:a")).toBe("from-a");
    a.close();
    b.close();
  });

  it("fails fast with a non-retryable storage_error when the store cannot seal at all", async () => {
    const name = freshName();
    const broken = {
      generateKey: crypto.subtle.generateKey.bind(crypto.subtle),
      decrypt: crypto.subtle.decrypt.bind(crypto.subtle),
      encrypt: () => Promise.reject(new DOMException("quota", "QuotaExceededError")),
    } as unknown as SubtleCrypto;
    const events = sink();
    await expect(EncryptedIdbStore.open({ dbName: name, subtle: broken, emit: events.emitter })).rejects.toMatchObject({
      name: "AuthShellError",
      code: "storage_error",
      retryable: false,
    });
    expect(events.list).toEqual([]);
  });
});
