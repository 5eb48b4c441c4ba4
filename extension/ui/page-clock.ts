import { createSystemClock } from "../../shared/platform/system-clock.js";

/**
 * The extension pages' own time (the popup and options page): countdowns, "last used … ago" and export
 * timestamps. The worker's clock answers for the broker's state (status views carry their `now`).
 */
export const pageClock = createSystemClock();
