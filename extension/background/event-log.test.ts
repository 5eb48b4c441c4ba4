import { describe, expect, it } from "vitest";
import { FakeClock } from "../../e2e/support/unit/fake-clock.js";
import { EventLog, EVENT_LOG_KEY, type SessionArea } from "./event-log.js";

function memoryArea(initial: Record<string, unknown> = {}): SessionArea & { data: Record<string, unknown> } {
  const data = { ...initial };
  return {
    data,
    get: async (key) => ({ [key]: data[key] }),
    set: async (items) => void Object.assign(data, structuredClone(items)),
  };
}

describe("EventLog", () => {
  it("keeps only the newest events and persists them", async () => {
    const area = memoryArea();
    const log = new EventLog(area, new FakeClock(), 3, 0);
    for (let i = 0; i < 5; i++) log.emit({ at: i, type: "naa.token", message: `m${i}` });
    await log.flushed();
    expect((await log.recent()).map((e) => e.message)).toEqual(["m2", "m3", "m4"]);
    expect((area.data[EVENT_LOG_KEY] as Array<{ message: string }>).map((e) => e.message)).toEqual(["m2", "m3", "m4"]);
  });

  it("restores the history a previous worker persisted, before new events", async () => {
    const area = memoryArea({ [EVENT_LOG_KEY]: [{ at: 1, type: "worker.start", message: "old" }] });
    const log = new EventLog(area, new FakeClock(), 10, 0);
    log.emit({ at: 2, type: "worker.start", message: "new" });
    expect((await log.recent()).map((e) => e.message)).toEqual(["old", "new"]);
  });

  it("drops stored entries under names an older version wrote, or malformed ones, and keeps the rest", async () => {
    const stored = [
      { at: 1, type: "storage_write_failed", message: "old name" },
      { at: 2, type: "signed_out", message: "old name" },
      { at: 3, type: "account.signed_out", message: "kept", detail: { homeAccountId: "a" } },
      { at: "4", type: "worker.start", message: "malformed" },
      "not an event",
    ];
    const log = new EventLog(memoryArea({ [EVENT_LOG_KEY]: stored }), new FakeClock(), 10, 0);
    expect(await log.recent()).toEqual([{ at: 3, type: "account.signed_out", message: "kept", detail: { homeAccountId: "a" } }]);
  });

  it("a session storage that cannot be read or written is said in the log itself, once until a write succeeds", async () => {
    const refused = () => Promise.reject(new DOMException("The quota has been exceeded.", "QuotaExceededError"));
    let failing = true;
    const area: SessionArea = { get: refused, set: (items) => (failing ? refused() : Promise.resolve(void items)) };
    const log = new EventLog(area, new FakeClock(42), 10, 0);
    log.emit({ at: 1, type: "worker.start", message: "a" });
    await log.flushed();
    log.emit({ at: 2, type: "naa.token", message: "b" });
    await log.flushed();
    expect((await log.recent()).map((e) => [e.type, e.at])).toEqual([
      ["worker.start", 1],
      ["storage.entry_dropped", 42],
      ["storage.write_failed", 42],
      ["naa.token", 2],
    ]);
    failing = false;
    log.emit({ at: 3, type: "naa.token", message: "c" });
    await log.flushed();
    failing = true;
    log.emit({ at: 4, type: "naa.token", message: "d" });
    await log.flushed();
    expect((await log.recent()).filter((e) => e.type === "storage.write_failed")).toHaveLength(2);
  });
});
