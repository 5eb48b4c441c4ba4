import type { EntraErrorSpec } from "./entra-error.js";
import type { LoopDetectionSettings } from "./settings.js";

/** Entra's answer to a request loop (AADSTS50196), sent on /token as JSON and on /authorize to the redirect URI. */
export const LOOP_DETECTED: EntraErrorSpec = {
  status: 400,
  error: "invalid_request",
  aadsts: 50196,
  message: "The server terminated an operation because it encountered a client request loop. Please contact your app vendor.",
};

const MAX_KEYS = 10_000;

/**
 * Counts identical requests per key in a sliding window (emulator clock). Blocked requests count too,
 * so a client that keeps retrying stays blocked until it slows down, as with Entra.
 */
export class LoopDetector {
  private readonly seen = new Map<string, number[]>();

  /** Records one request; true when it is over the limit (answer AADSTS50196). */
  record(key: string, now: number, settings: LoopDetectionSettings): boolean {
    if (!settings.enabled) return false;
    const since = now - settings.windowSeconds * 1000;
    let times = this.seen.get(key);
    if (!times) {
      if (this.seen.size >= MAX_KEYS) this.prune(since);
      times = [];
      this.seen.set(key, times);
    }
    let drop = 0;
    while (drop < times.length && times[drop]! <= since) drop++;
    if (drop > 0) times.splice(0, drop);
    times.push(now);
    // Keep memory bounded under a storm: only the newest maxRequests + 1 times matter.
    if (times.length > settings.maxRequests + 1) times.splice(0, times.length - settings.maxRequests - 1);
    return times.length > settings.maxRequests;
  }

  private prune(since: number): void {
    for (const [key, times] of this.seen) if ((times.at(-1) ?? 0) <= since) this.seen.delete(key);
    if (this.seen.size >= MAX_KEYS) this.seen.clear();
  }

  clear(): void {
    this.seen.clear();
  }
}
