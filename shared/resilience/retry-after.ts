/**
 * `Retry-After` parsing (RFC 9110 §10.2.3): either delay-seconds (`120`) or an HTTP-date
 * (`Wed, 21 Oct 2026 07:28:00 GMT`). The result is always a usable wait in milliseconds:
 *
 * | header                                   | result                                   |
 * |------------------------------------------|------------------------------------------|
 * | absent, empty, garbage (`soon`, `1.5`)    | `defaultMs` (5 s)                        |
 * | `0`, negative (`-3`), a date in the past  | `defaultMs` (5 s) — after a 429 or 503 we never retry at once |
 * | `N` seconds (N ≥ 1)                       | `N × 1000`, capped at `maxMs` (5 min)    |
 * | a future HTTP-date                        | `date − now`, capped at `maxMs` (5 min)  |
 * | absurd values (`864000` = 10 days)        | `maxMs` (5 min)                          |
 *
 * The 5 s default matches the first-retry floor of the backoff (R6); the 5 min cap keeps a broken or
 * hostile header from locking a user out for days while still honouring every realistic Entra value.
 */

export interface RetryAfterPolicy {
  /** Wait used when the header is absent, unparseable, zero, negative or in the past. */
  defaultMs: number;
  /** Upper bound on any wait derived from the header. */
  maxMs: number;
}

export const DEFAULT_RETRY_AFTER: RetryAfterPolicy = { defaultMs: 5_000, maxMs: 300_000 };

const DELAY_SECONDS = /^\d+$/;
const SIGNED_NUMBER = /^[+-]?\d+(\.\d+)?$/;

/**
 * The wait the header asks for, or `undefined` when it is absent or says nothing usable (garbage,
 * zero, negative, past). Capped at `policy.maxMs`. Use this to know whether a server gave a value.
 */
export function retryAfterFromHeader(
  header: string | null | undefined,
  now: number,
  policy: Partial<RetryAfterPolicy> = {},
): number | undefined {
  const { maxMs } = { ...DEFAULT_RETRY_AFTER, ...policy };
  const value = header?.trim();
  if (!value) return undefined;
  let waitMs: number;
  if (DELAY_SECONDS.test(value)) {
    waitMs = Number(value) * 1000;
  } else if (SIGNED_NUMBER.test(value) || !/[a-z]/i.test(value)) {
    // Negative or fractional seconds, or digits and punctuation that are not a date: not valid.
    return undefined;
  } else {
    const date = Date.parse(value);
    if (!Number.isFinite(date)) return undefined;
    waitMs = date - now;
  }
  if (!Number.isFinite(waitMs) || waitMs <= 0) return undefined;
  return Math.min(Math.ceil(waitMs), maxMs);
}

/** The wait in milliseconds a `Retry-After` header asks for, with the default and cap applied. */
export function parseRetryAfter(
  header: string | null | undefined,
  now: number,
  policy: Partial<RetryAfterPolicy> = {},
): number {
  const { defaultMs, maxMs } = { ...DEFAULT_RETRY_AFTER, ...policy };
  return retryAfterFromHeader(header, now, policy) ?? Math.min(defaultMs, maxMs);
}
