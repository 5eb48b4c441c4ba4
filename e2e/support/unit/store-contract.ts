import { beforeEach, describe, expect, it } from "vitest";
import type { KeyValueStore } from "../../../shared/ports.js";

/**
 * The behaviour every KeyValueStore must have. Run it against an implementation with
 *   describeStoreContract("MemoryStore", async () => new MemoryStore());
 * `makeStore` must return an empty store each time.
 */
export function describeStoreContract(name: string, makeStore: () => Promise<KeyValueStore>): void {
  describe(`KeyValueStore contract: ${name}`, () => {
    let store: KeyValueStore;
    beforeEach(async () => {
      store = await makeStore();
    });

    it("get of a missing key is undefined", async () => {
      expect(await store.get("nope")).toBeUndefined();
    });

    it("set then get round-trips JSON-like values", async () => {
      const value = { s: "text", n: 42.5, b: true, nil: null, list: [1, "two", { three: 3 }], nested: { deep: { x: [] } } };
      await store.set("k", value);
      expect(await store.get("k")).toEqual(value);
      await store.set("str", "plain");
      await store.set("num", 0);
      await store.set("bool", false);
      expect([await store.get("str"), await store.get("num"), await store.get("bool")]).toEqual(["plain", 0, false]);
    });

    it("set overwrites", async () => {
      await store.set("k", 1);
      await store.set("k", 2);
      expect(await store.get("k")).toBe(2);
    });

    it("delete removes a key; deleting a missing key is fine", async () => {
      await store.set("k", 1);
      await store.delete("k");
      await store.delete("never-set");
      expect(await store.get("k")).toBeUndefined();
    });

    it("entries returns exactly the keys with the prefix, in key (code unit) order", async () => {
      for (const key of ["at:2", "at:10", "rt:1", "at:1", "a", "at;", "at:"]) await store.set(key, key.toUpperCase());
      expect(await store.entries("at:")).toEqual([
        ["at:", "AT:"],
        ["at:1", "AT:1"],
        ["at:10", "AT:10"],
        ["at:2", "AT:2"],
      ]);
      expect(await store.entries("zz:")).toEqual([]);
      expect((await store.entries("")).map(([k]) => k)).toEqual(["a", "at:", "at:1", "at:10", "at:2", "at;", "rt:1"]);
    });

    it("values are copies, not references, on the way in and out", async () => {
      const value = { list: [1], inner: { n: 1 } };
      await store.set("k", value);
      value.list.push(2);
      value.inner.n = 99;
      const read = await store.get<typeof value>("k");
      expect(read).toEqual({ list: [1], inner: { n: 1 } });
      read!.list.push(3);
      const listed = await store.entries<typeof value>("k");
      listed[0]![1].inner.n = 7;
      expect(await store.get("k")).toEqual({ list: [1], inner: { n: 1 } });
    });

    it("batch applies puts and deletes together", async () => {
      await store.set("rt:old", "old-rt");
      await store.set("keep", 1);
      await store.batch({ put: { "rt:new": "new-rt", "at:new": { scopes: ["a"] } }, delete: ["rt:old"] });
      expect(await store.get("rt:old")).toBeUndefined();
      expect(await store.get("rt:new")).toBe("new-rt");
      expect(await store.get("at:new")).toEqual({ scopes: ["a"] });
      expect(await store.get("keep")).toBe(1);
      await store.batch({});
      await store.batch({ put: {} , delete: [] });
      expect((await store.entries("")).length).toBe(3);
    });

    it("batch is atomic: when one value cannot be stored, nothing of the batch is written", async () => {
      await store.set("rt:old", "old-rt");
      const unstorable: Record<string, unknown> = { fn: () => undefined };
      unstorable.self = unstorable; // neither structured-clonable nor JSON-serialisable
      await expect(store.batch({ put: { "rt:new": "new-rt", bad: unstorable }, delete: ["rt:old"] })).rejects.toBeDefined();
      expect(await store.get("rt:old")).toBe("old-rt");
      expect(await store.get("rt:new")).toBeUndefined();
      expect(await store.get("bad")).toBeUndefined();
    });

    it("batch values are copies too", async () => {
      const value = { n: 1 };
      await store.batch({ put: { k: value } });
      value.n = 2;
      expect(await store.get("k")).toEqual({ n: 1 });
    });

    it("clear removes everything", async () => {
      await store.set("a", 1);
      await store.set("b:c", 2);
      await store.clear();
      expect(await store.entries("")).toEqual([]);
      expect(await store.get("a")).toBeUndefined();
    });

    it("keys may hold any characters", async () => {
      const key = "at:uid.utid|https://login.example/tenant|client|openid profile|{\"claims\":1}|ü";
      await store.set(key, 1);
      expect(await store.get(key)).toBe(1);
      expect((await store.entries("at:")).map(([k]) => k)).toEqual([key]);
    });
  });
}
