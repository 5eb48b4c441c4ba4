import { describe, expect, it } from "vitest";
import { describeStoreContract } from "../../../e2e/support/unit/store-contract.js";
import { LocalStorageStore } from "./local-storage-store.js";

/** A Web Storage stand-in (Node has none): the same API over a Map. */
class MapStorage implements Storage {
  private readonly map = new Map<string, string>();
  get length() {
    return this.map.size;
  }
  clear() {
    this.map.clear();
  }
  getItem(key: string) {
    return this.map.get(key) ?? null;
  }
  key(index: number) {
    return [...this.map.keys()][index] ?? null;
  }
  removeItem(key: string) {
    this.map.delete(key);
  }
  setItem(key: string, value: string) {
    this.map.set(key, String(value));
  }
}

describeStoreContract("LocalStorageStore", async () => new LocalStorageStore(new MapStorage()));

describe("LocalStorageStore", () => {
  it("keeps to its own prefix: other keys of the origin are neither listed nor cleared", async () => {
    const storage = new MapStorage();
    storage.setItem("msal.token.keys", "not ours");
    const store = new LocalStorageStore(storage);
    await store.set("gate:resource:graph", { closedUntil: 5 });
    expect(await store.entries("")).toEqual([["gate:resource:graph", { closedUntil: 5 }]]);
    await store.clear();
    expect(storage.getItem("msal.token.keys")).toBe("not ours");
    expect(await store.entries("")).toEqual([]);
  });

  it("lets a second tab (a second store over the same storage) see a closed gate", async () => {
    const storage = new MapStorage();
    await new LocalStorageStore(storage).set("gate:idp:x/t/token", { key: "idp:x/t/token", closedUntil: 42 });
    expect(await new LocalStorageStore(storage).get("gate:idp:x/t/token")).toEqual({ key: "idp:x/t/token", closedUntil: 42 });
  });
});
