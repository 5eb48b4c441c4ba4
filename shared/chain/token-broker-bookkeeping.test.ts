import { describe, expect, it } from "vitest";
import { MIN, signedIn } from "./broker-harness.test-support.js";
import { PENDING_REFRESH_PREFIX } from "./pending-refreshes.js";

describe("token broker: bookkeeping writes that fail", () => {
  it("an owed refresh that cannot be recorded is reported as an event, and the caller still gets the cached token", async () => {
    const h = await signedIn({ policy: { resilience: { maxAttempts: 1 } } });
    await h.clock.advance(30 * MIN);
    h.idp.faults.push({ status: 503 });
    const set = h.store.set.bind(h.store);
    h.store.set = async (key: string, value: unknown) => {
      if (key.startsWith(PENDING_REFRESH_PREFIX)) throw new Error("QuotaExceededError");
      return set(key, value);
    };
    const served = await h.broker.acquireToken({ scopes: ["User.Read"], forceRefresh: true, allowInteraction: false });
    expect(served.source).toBe("cache");
    const failures = h.events.filter((e) => e.type === "storage.write_failed");
    expect(failures).toHaveLength(1);
    expect(failures[0]!.detail).toMatchObject({ what: "record an owed refresh" });
    expect(h.events.some((e) => e.type === "refresh.owed")).toBe(false);
  });
});
