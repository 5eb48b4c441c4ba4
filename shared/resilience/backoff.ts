import type { Random } from "../ports.js";

/**
 * Jittered exponential backoff for 5xx, network errors and timeouts (R6).
 * Attempt 1 (the first retry) waits at least `baseMs` (5 s), each further attempt doubles the base,
 * and no delay ever exceeds `maxMs` (60 s). Below the cap the jitter only adds (up to `jitter` × the
 * delay), so the first retry is never earlier than 5 s; at the cap it only subtracts, so the cap holds
 * and callers stuck at the cap still spread out.
 */
export interface BackoffPolicy {
  /** Delay before the first retry; never undercut. */
  baseMs: number;
  /** Growth per attempt. */
  factor: number;
  /** Ceiling for any delay. */
  maxMs: number;
  /** Fraction of the delay used as random spread, in [0, 1]. */
  jitter: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 5_000, factor: 2, maxMs: 60_000, jitter: 0.2 };

/** The delay before retry number `attempt` (1-based). */
export function backoffDelay(attempt: number, random: Random, policy: Partial<BackoffPolicy> = {}): number {
  const { baseMs, factor, maxMs, jitter } = { ...DEFAULT_BACKOFF, ...policy };
  const spread = Math.min(1, Math.max(0, jitter)) * random.float();
  const exponent = Math.max(0, Math.floor(attempt) - 1);
  const raw = baseMs * Math.pow(Math.max(1, factor), exponent);
  if (raw >= maxMs) return Math.round(Math.max(baseMs, maxMs * (1 - spread)));
  return Math.round(Math.min(maxMs, raw * (1 + spread)));
}
