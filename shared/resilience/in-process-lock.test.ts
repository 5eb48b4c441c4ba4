import { describe, expect, it } from "vitest";
import { flushMicrotasks } from "../../e2e/support/unit/fake-clock.js";
import { InProcessLock } from "./in-process-lock.js";

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((res) => (resolve = res));
  return { promise, resolve };
}

describe("InProcessLock", () => {
  it("runs holders of one name one at a time, in arrival order", async () => {
    const lock = new InProcessLock();
    const order: string[] = [];
    const gates = [deferred(), deferred(), deferred()];
    let active = 0;
    let maxActive = 0;
    const runs = gates.map((gate, i) =>
      lock.withLock("rt", async () => {
        active++;
        maxActive = Math.max(maxActive, active);
        order.push(`start ${i}`);
        await gate.promise;
        order.push(`end ${i}`);
        active--;
        return i;
      }),
    );
    await flushMicrotasks();
    expect(order).toEqual(["start 0"]);
    gates[2]!.resolve();
    gates[1]!.resolve();
    await flushMicrotasks();
    expect(order).toEqual(["start 0"]);
    gates[0]!.resolve();
    expect(await Promise.all(runs)).toEqual([0, 1, 2]);
    expect(order).toEqual(["start 0", "end 0", "start 1", "end 1", "start 2", "end 2"]);
    expect(maxActive).toBe(1);
    expect(lock.isLocked("rt")).toBe(false);
  });

  it("does not serialise different names", async () => {
    const lock = new InProcessLock();
    const hold = deferred();
    const first = lock.withLock("a", () => hold.promise);
    expect(await lock.withLock("b", async () => "b ran")).toBe("b ran");
    hold.resolve();
    await first;
  });

  it("releases the lock when the holder fails", async () => {
    const lock = new InProcessLock();
    await expect(lock.withLock("x", async () => Promise.reject(new Error("fail")))).rejects.toThrow("fail");
    expect(await lock.withLock("x", async () => "next")).toBe("next");
    expect(lock.isLocked("x")).toBe(false);
  });
});
