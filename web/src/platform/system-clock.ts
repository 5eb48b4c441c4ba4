import { createTimerClock } from "../../../shared/platform/timer-clock";

/** The real Clock for pages: the window's Date.now, setTimeout and clearTimeout. */
export const createSystemClock = () => createTimerClock({ now: Date.now, setTimeout, clearTimeout });
