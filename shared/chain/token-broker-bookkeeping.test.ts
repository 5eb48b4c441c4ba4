import { describe, expect, it } from "vitest";
import { MIN, signedIn } from "./broker-harness.test-support.js";
import { STORE_PREFIXES } from "../storage/key-prefixes.js";

describe("token broker: bookkeeping writes that fail", () => {
  it("an owed refresh that cannot be persisted is reported as an event, stays owed in memory, and the caller still gets the cached token", async () => {
    const h = await signedIn({ policy: { resilience: { maxAttempts: 1 } } });
    await h.clock.advance(30 * MIN);
    h.idp.faults.push({ status: 503 });
    const set = h.store.set.bind(h.store);
    h.store.set = async (key: string, value: unknown) => {
      if (key.startsWith(STORE_PREFIXES.pendingRefresh)) throw new Error("QuotaExceededError");
      return set(key, value);
    };
    const served = await h.broker.acquireToken({ scopes: ["User.Read"], forceRefresh: true, allowInteraction: false });
    expect(served.source).toBe("cache");
    const failures = h.events.filter((e) => e.type === "storage.write_failed");
    expect(failures).toHaveLength(1);
    expect(failures[0]!.detail).toMatchObject({ prefix: STORE_PREFIXES.pendingRefresh });
    // Memory is authoritative: this worker still owes (and retries) the refresh.
    expect(h.events.some((e) => e.type === "refresh.owed")).toBe(true);
  });
});
