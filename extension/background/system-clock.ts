import { createTimerClock } from "../../shared/platform/timer-clock.js";

/** The real Clock for the service worker: its own Date.now, setTimeout and clearTimeout. */
export const createSystemClock = () => createTimerClock({ now: Date.now, setTimeout, clearTimeout });
