import type { AccountInfo, AuthenticationResult } from "@azure/msal-browser";
import { describe, expect, it } from "vitest";
import { recordEvents } from "../../../e2e/support/unit/event-recorder.js";
import { FailingStore } from "../../../e2e/support/unit/failing-store.js";
import { FakeClock } from "../../../e2e/support/unit/fake-clock.js";
import { MemoryStore } from "../../../shared/storage/memory-store.js";
import { RefreshRecords } from "./refresh-records.js";

const account = { homeAccountId: "oid.tid" } as AccountInfo;
const result = { account, expiresOn: new Date(3_600_000) } as AuthenticationResult;

describe("RefreshRecords", () => {
  it("writes a record the next tab reads, and clears an account's records", async () => {
    const clock = new FakeClock(1_000);
    const records = new RefreshRecords(new MemoryStore(), "client", clock, recordEvents(clock).emitter);
    await records.write(result, ["b", "a"], 1_800_000);
    expect(await records.read(account, ["a", "b"])).toEqual({ refreshOn: 1_800_000, expiresOn: 3_600_000, refreshedAt: 1_000 });
    await records.clear(account);
    expect(await records.read(account, ["a", "b"])).toBeUndefined();
  });

  it("a refused write is a storage.write_failed event, not the caller's failure", async () => {
    const clock = new FakeClock();
    const events = recordEvents(clock);
    const records = new RefreshRecords(new FailingStore(), "client", clock, events.emitter);
    await expect(records.write(result, ["a"], 1_800_000)).resolves.toBeUndefined();
    expect(events.list).toMatchObject([{ type: "storage.write_failed", detail: { prefix: "refresh:", code: "storage_error" } }]);
  });
});
