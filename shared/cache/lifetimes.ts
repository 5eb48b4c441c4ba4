/** Default clock-skew margin: an access token is not served in the last 5 minutes of its life. */
export const DEFAULT_SKEW_MS = 5 * 60_000;

/**
 * The minimum refresh interval: a token younger than this is neither due for a proactive refresh nor
 * stale by the skew margin while it is unexpired. Very short lifetimes (a 1 s or 5 s token, with a
 * `refresh_in` of half that) otherwise turn pages asking often plus the proactive refresh into a
 * loop of refresh-token grants — ~1.7 a second for 1 s tokens — which Entra ends with AADSTS50196.
 * With the floor a token is refreshed at most once per lifetime, never more often than this.
 */
export const MIN_REFRESH_INTERVAL_MS = 5_000;

export interface TokenLifetimes {
  expiresOn: number;
  extExpiresOn: number;
  refreshOn: number;
}

/**
 * Absolute times from the relative ones in a token response, measured from `requestedAt` (the time
 * the request was sent, so network latency only shortens the cached lifetime): `refreshOn` from
 * `refresh_in`, else half the lifetime (R7), but not before MIN_REFRESH_INTERVAL_MS (nor after expiry);
 * `extExpiresOn` from `ext_expires_in`, else `expiresOn`.
 */
export function computeLifetimes(
  requestedAt: number,
  expiresInSec: number,
  extExpiresInSec?: number,
  refreshInSec?: number,
): TokenLifetimes {
  const expiresOn = requestedAt + expiresInSec * 1000;
  const extExpiresOn = Math.max(expiresOn, requestedAt + (extExpiresInSec ?? expiresInSec) * 1000);
  const refreshIn = Math.max(MIN_REFRESH_INTERVAL_MS, (refreshInSec ?? expiresInSec / 2) * 1000);
  const refreshOn = Math.min(expiresOn, requestedAt + refreshIn);
  return { expiresOn, extExpiresOn, refreshOn };
}

/**
 * The skew margin applied to one token: `skewMs`, but never more than a quarter of the token's
 * lifetime, so short-lived test tokens (a 60 s emulator token) stay usable for most of their life.
 */
export function effectiveSkew(entry: { cachedAt: number; expiresOn: number }, skewMs: number): number {
  return Math.max(0, Math.min(skewMs, (entry.expiresOn - entry.cachedAt) / 4));
}

/**
 * True while the token may be served from cache: `now < expiresOn - skew`, and always while it is
 * unexpired and younger than MIN_REFRESH_INTERVAL_MS (the skew must not make a short token stale at once).
 */
export function isFresh(entry: { cachedAt: number; expiresOn: number }, now: number, skewMs: number): boolean {
  const young = Math.min(entry.expiresOn, entry.cachedAt + MIN_REFRESH_INTERVAL_MS);
  return now < Math.max(entry.expiresOn - effectiveSkew(entry, skewMs), young);
}

/** True while the token has not actually expired (used to serve it during IdP trouble). */
export function isUnexpired(entry: { expiresOn: number }, now: number): boolean {
  return now < entry.expiresOn;
}
