/**
 * A store that opened fine and then cannot write (disk full, quota exceeded): its owner is told at
 * once, so it opens (and probes) the store again before the next IdP round trip, instead of spending
 * one per request on results that cannot be kept (issue 12, "IndexedDB over quota").
 */
import "fake-indexeddb/auto";
import { afterEach, describe, expect, it } from "vitest";
import { recordEvents } from "../../e2e/support/unit/event-recorder.js";
import { AuthShellError } from "../../shared/errors.js";
import { EncryptedIdbStore } from "./encrypted-store.js";

const realPut = IDBObjectStore.prototype.put;
afterEach(() => {
  IDBObjectStore.prototype.put = realPut;
});

function failPuts(): void {
  IDBObjectStore.prototype.put = function () {
    throw new DOMException("The quota has been exceeded.", "QuotaExceededError");
  };
}

describe("EncryptedIdbStore after a failed write", () => {
  it("rejects with storage_error, tells the owner once, and emits one token-free event", async () => {
    const recorder = recordEvents();
    const events = recorder.list;
    let lost = 0;
    const store = await EncryptedIdbStore.open({ dbName: "rtb-write-failure-1", emit: recorder.emitter, onConnectionLost: () => lost++ });
    failPuts();
    const first = await store.set("rt:a", { refreshToken: "RT-SECRET" }).catch((e: unknown) => e);
    expect(first).toBeInstanceOf(AuthShellError);
    expect((first as AuthShellError).code).toBe("storage_error");
    expect(lost).toBe(1);
    await store.batch({ put: { "rt:b": { refreshToken: "RT-SECRET" } } }).catch(() => undefined);
    expect(lost).toBe(1);
    const written = events.filter((e) => e.type === "storage.write_failed");
    expect(written).toHaveLength(1);
    expect(written[0]!.detail).toMatchObject({ name: "QuotaExceededError" });
    expect(JSON.stringify(events)).not.toContain("RT-SECRET");
    store.close();
  });

  it("a store that cannot write does not open: storage_error, not retryable", async () => {
    failPuts();
    const error = await EncryptedIdbStore.open({ dbName: "rtb-write-failure-2" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthShellError);
    expect((error as AuthShellError).code).toBe("storage_error");
    expect((error as AuthShellError).retryable).toBe(false);
  });
});

describe("EncryptedIdbStore probe", () => {
  it("a write failing during open's own probe does not tell the owner (open itself fails)", async () => {
    failPuts();
    let lost = 0;
    await EncryptedIdbStore.open({ dbName: "rtb-write-failure-3", onConnectionLost: () => lost++ }).catch(() => undefined);
    expect(lost).toBe(0);
  });
});
