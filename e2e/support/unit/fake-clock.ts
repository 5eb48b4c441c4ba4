import type { Clock } from "../../../shared/ports.js";

interface Sleeper {
  wakeAt: number;
  resolve: () => void;
  reject: (reason: unknown) => void;
  detach: () => void;
}

/**
 * A controllable clock for tests: time moves only through `advance(ms)` / `set(ms)`, which wake
 * sleepers in wake-time order and let their continuations run before moving on.
 */
export class FakeClock implements Clock {
  private current: number;
  private sleepers: Sleeper[] = [];

  constructor(start = Date.UTC(2026, 0, 1)) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  /** Number of pending sleeps (useful to assert a retry is scheduled). */
  get pendingSleeps(): number {
    return this.sleepers.length;
  }

  /** The earliest pending wake-up time, if any. */
  get nextWakeAt(): number | undefined {
    return this.sleepers.reduce<number | undefined>(
      (min, s) => (min === undefined || s.wakeAt < min ? s.wakeAt : min),
      undefined,
    );
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        this.sleepers = this.sleepers.filter((s) => s !== sleeper);
        reject(signal?.reason);
      };
      const sleeper: Sleeper = {
        wakeAt: this.current + Math.max(0, ms),
        resolve,
        reject,
        detach: () => signal?.removeEventListener("abort", onAbort),
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.sleepers.push(sleeper);
    });
  }

  /** Moves time forward by `ms`, waking every sleeper due on the way, in order. */
  async advance(ms: number): Promise<void> {
    await this.set(this.current + ms);
  }

  /** Moves time to `target`, waking sleepers due on the way. */
  async set(target: number): Promise<void> {
    await flushMicrotasks();
    for (;;) {
      const due = this.sleepers
        .filter((s) => s.wakeAt <= target)
        .sort((a, b) => a.wakeAt - b.wakeAt)[0];
      if (!due) break;
      this.sleepers = this.sleepers.filter((s) => s !== due);
      this.current = Math.max(this.current, due.wakeAt);
      due.detach();
      due.resolve();
      await flushMicrotasks();
    }
    this.current = Math.max(this.current, target);
    await flushMicrotasks();
  }

  /** Advances to each pending wake-up in turn until none is left (bounded). */
  async runAll(maxSteps = 1000): Promise<void> {
    for (let i = 0; i < maxSteps; i++) {
      // Let pending continuations run first: they may cancel sleeps (e.g. a timeout timer whose
      // request already answered), and time must not jump to a wake-up that no longer exists.
      await flushMicrotasks();
      const next = this.nextWakeAt;
      if (next === undefined) return;
      await this.set(next);
    }
    throw new Error(`FakeClock.runAll: still sleeping after ${maxSteps} steps`);
  }
}

/** Lets queued promise continuations run (several turns, for chains of awaits). */
export async function flushMicrotasks(turns = 50): Promise<void> {
  for (let i = 0; i < turns; i++) await Promise.resolve();
}
