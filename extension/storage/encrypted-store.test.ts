import "fake-indexeddb/auto";
import { openDB } from "idb";
import { describe, expect, it } from "vitest";
import { describeStoreContract } from "../../e2e/support/unit/store-contract.js";
import { EncryptedIdbStore } from "./encrypted-store.js";

let dbCounter = 0;
const freshName = () => `rtb-test-${++dbCounter}`;

async function rawEntries(dbName: string): Promise<Array<[string, unknown]>> {
  const db = await openDB(dbName, 1);
  const keys = await db.getAllKeys("entries");
  const values = await db.getAll("entries");
  db.close();
  return keys.map((k, i) => [String(k), values[i]]);
}

function bytesOf(value: unknown): string {
  const sealed = value as { iv: Uint8Array; data: ArrayBuffer };
  return Buffer.from(new Uint8Array(sealed.data)).toString("latin1");
}

describe("EncryptedIdbStore", () => {
  it("round-trips values and lists entries by prefix in key order", async () => {
    const store = await EncryptedIdbStore.open({ dbName: freshName() });
    await store.set("rt:b", { secret: "refresh-b" });
    await store.set("rt:a", { secret: "refresh-a", n: 1, bytes: new Uint8Array([1, 2]) });
    await store.set("at:x", "access");
    expect(await store.get("rt:a")).toEqual({ secret: "refresh-a", n: 1, bytes: new Uint8Array([1, 2]) });
    expect((await store.entries("rt:")).map(([k]) => k)).toEqual(["rt:a", "rt:b"]);
    expect(await store.get("missing")).toBeUndefined();
  });

  it("never stores a value in clear and uses a fresh IV per write", async () => {
    const name = freshName();
    const store = await EncryptedIdbStore.open({ dbName: name });
    const token = "eyJhbGciOiJSUzI1NiJ9.RT-SECRET-VALUE.sig";
    await store.set("rt:one", { refreshToken: token });
    await store.set("rt:two", { refreshToken: token });
    const raw = await rawEntries(name);
    expect(raw).toHaveLength(2);
    for (const [, value] of raw) {
      expect(JSON.stringify(value)).not.toContain("RT-SECRET-VALUE");
      expect(bytesOf(value)).not.toContain("RT-SECRET-VALUE");
      expect((value as { iv: Uint8Array }).iv).toHaveLength(12);
    }
    const [a, b] = raw.map(([, v]) => v as { iv: Uint8Array });
    expect(Buffer.from(a!.iv).equals(Buffer.from(b!.iv))).toBe(false);
  });

  it("keeps a non-extractable key in IndexedDB so a reopened store decrypts", async () => {
    const name = freshName();
    const first = await EncryptedIdbStore.open({ dbName: name });
    await first.set("acct:1", { username: "adele@contoso.test" });
    first.close();
    const db = await openDB(name, 1);
    const key = (await db.get("keys", "store-key")) as CryptoKey;
    db.close();
    expect(key.extractable).toBe(false);
    expect(key.algorithm).toMatchObject({ name: "AES-GCM", length: 256 });
    await expect(crypto.subtle.exportKey("raw", key)).rejects.toThrow();
    const second = await EncryptedIdbStore.open({ dbName: name });
    expect(await second.get("acct:1")).toEqual({ username: "adele@contoso.test" });
  });

  it("drops a ciphertext moved to another key (bound to its key) or tampered with", async () => {
    const name = freshName();
    const store = await EncryptedIdbStore.open({ dbName: name });
    await store.set("rt:victim", { refreshToken: "x" });
    const db = await openDB(name, 1);
    const sealed = await db.get("entries", "rt:victim");
    await db.put("entries", sealed, "rt:attacker");
    const tampered = { ...sealed, data: new Uint8Array(sealed.data).map((b, i) => (i === 0 ? b ^ 1 : b)).buffer };
    await db.put("entries", tampered, "rt:victim");
    db.close();
    expect(await store.get("rt:attacker")).toBeUndefined();
    expect(await store.get("rt:victim")).toBeUndefined();
  });

  it("applies a batch of puts and deletes together, and clear() keeps the key", async () => {
    const name = freshName();
    const store = await EncryptedIdbStore.open({ dbName: name });
    await store.set("rt:old", "old");
    await store.batch({ put: { "rt:new": "new", "at:new": "at" }, delete: ["rt:old"] });
    expect(await store.entries("rt:")).toEqual([["rt:new", "new"]]);
    await store.clear();
    expect(await store.entries("")).toEqual([]);
    await store.set("k", 1);
    expect(await store.get("k")).toBe(1);
  });
});

describeStoreContract("EncryptedIdbStore (fake-indexeddb)", () => EncryptedIdbStore.open({ dbName: freshName() }));
