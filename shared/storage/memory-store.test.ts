import { describe, expect, it } from "vitest";
import { describeStoreContract } from "../../e2e/support/unit/store-contract.js";
import { compareKeys, MemoryStore } from "./memory-store.js";

describeStoreContract("MemoryStore", async () => new MemoryStore());

describe("MemoryStore", () => {
  it("counts its keys", async () => {
    const store = new MemoryStore();
    await store.batch({ put: { a: 1, b: 2 } });
    expect(store.size).toBe(2);
  });

  it("keeps structured-clonable values such as byte arrays and dates", async () => {
    const store = new MemoryStore();
    await store.set("bytes", new Uint8Array([1, 2, 3]));
    await store.set("date", new Date(5));
    expect(await store.get("bytes")).toEqual(new Uint8Array([1, 2, 3]));
    expect(await store.get("date")).toEqual(new Date(5));
  });

  it("orders keys by code unit", () => {
    expect(["b", "a", "B", "a"].sort(compareKeys)).toEqual(["B", "a", "a", "b"]);
  });
});
