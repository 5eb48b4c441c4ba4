import type { Clock } from "../ports.js";

/** The timer functions a platform passes in (its globals); shared/ never touches timers itself. */
export interface Timers {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/**
 * A Clock over the platform's timers: `now()` and a `sleep` that an AbortSignal cancels. The
 * functions are called unbound, so a platform can pass its globals as they are
 * (`createTimerClock({ now: Date.now, setTimeout, clearTimeout })`).
 */
export function createTimerClock(timers: Timers): Clock {
  const { now, setTimeout: schedule, clearTimeout: cancel } = timers;
  return {
    now: () => now(),
    sleep: (ms, signal) =>
      new Promise<void>((resolve, reject) => {
        if (signal?.aborted) return reject(signal.reason);
        const handle = schedule(() => {
          signal?.removeEventListener("abort", onAbort);
          resolve();
        }, Math.max(0, ms));
        const onAbort = () => {
          cancel(handle);
          reject(signal?.reason);
        };
        signal?.addEventListener("abort", onAbort, { once: true });
      }),
  };
}
