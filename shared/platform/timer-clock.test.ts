import { describe, expect, it } from "vitest";
import { createTimerClock, type Timers } from "./timer-clock.js";

/** Scripted timers: time moves only through `fire`, and every call is recorded. */
function fakeTimers(now = 1_000) {
  const pending = new Map<number, { fn: () => void; ms: number }>();
  const cleared: number[] = [];
  let next = 1;
  const timers: Timers = {
    now: () => now,
    setTimeout: (fn, ms) => {
      pending.set(next, { fn, ms });
      return next++;
    },
    clearTimeout: (handle) => {
      cleared.push(handle as number);
      pending.delete(handle as number);
    },
  };
  return {
    timers,
    pending,
    cleared,
    setNow: (value: number) => (now = value),
    fire: (handle: number) => {
      const timer = pending.get(handle);
      pending.delete(handle);
      timer?.fn();
    },
  };
}

describe("createTimerClock", () => {
  it("reads the platform's now()", () => {
    const fake = fakeTimers(42);
    const clock = createTimerClock(fake.timers);
    expect(clock.now()).toBe(42);
    fake.setNow(99);
    expect(clock.now()).toBe(99);
  });

  it("sleeps through one setTimeout of the requested length and resolves when it fires", async () => {
    const fake = fakeTimers();
    const clock = createTimerClock(fake.timers);
    let done = false;
    const sleeping = clock.sleep(250).then(() => (done = true));
    expect([...fake.pending.values()].map((t) => t.ms)).toEqual([250]);
    await Promise.resolve();
    expect(done).toBe(false);
    fake.fire(1);
    await sleeping;
    expect(done).toBe(true);
  });

  it("never asks for a negative delay", () => {
    const fake = fakeTimers();
    void createTimerClock(fake.timers).sleep(-5);
    expect([...fake.pending.values()].map((t) => t.ms)).toEqual([0]);
  });

  it("rejects with the signal's reason and clears the timer when aborted", async () => {
    const fake = fakeTimers();
    const clock = createTimerClock(fake.timers);
    const controller = new AbortController();
    const sleeping = clock.sleep(1_000, controller.signal);
    controller.abort(new Error("stop"));
    await expect(sleeping).rejects.toThrow("stop");
    expect(fake.cleared).toEqual([1]);
    expect(fake.pending.size).toBe(0);
  });

  it("rejects at once, without a timer, when the signal is already aborted", async () => {
    const fake = fakeTimers();
    const controller = new AbortController();
    controller.abort(new Error("already"));
    await expect(createTimerClock(fake.timers).sleep(10, controller.signal)).rejects.toThrow("already");
    expect(fake.pending.size).toBe(0);
  });
});
