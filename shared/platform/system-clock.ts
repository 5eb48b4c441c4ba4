import type { Clock } from "../ports.js";
import { createTimerClock, type Timers } from "./timer-clock.js";

/**
 * The one real Clock, for the service worker and pages alike: the platform's own `Date.now`,
 * `setTimeout` and `clearTimeout`, taken from `globalThis` when called (shared/ never names timers
 * itself; tests use FakeClock instead).
 */
export function createSystemClock(): Clock {
  const g = globalThis as unknown as { setTimeout: Timers["setTimeout"]; clearTimeout: Timers["clearTimeout"] };
  return createTimerClock({ now: () => Date.now(), setTimeout: (fn, ms) => g.setTimeout(fn, ms), clearTimeout: (h) => g.clearTimeout(h) });
}
