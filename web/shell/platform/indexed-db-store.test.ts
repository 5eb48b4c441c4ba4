import "fake-indexeddb/auto";
import { describe, expect, it } from "vitest";
import { describeStoreContract } from "../../../e2e/support/unit/store-contract.js";
import { IndexedDbStore } from "./indexed-db-store.js";

let n = 0;
const freshName = () => `authshell-test-${++n}`;

describeStoreContract("IndexedDbStore (fake-indexeddb)", () => IndexedDbStore.open(freshName()));

describe("IndexedDbStore", () => {
  it("a second connection (another tab) sees a committed write as soon as set resolves", async () => {
    const name = freshName();
    const writer = await IndexedDbStore.open(name);
    const reader = await IndexedDbStore.open(name);
    await writer.set("refresh:x", { refreshOn: 5 });
    expect(await reader.get("refresh:x")).toEqual({ refreshOn: 5 });
  });
});
