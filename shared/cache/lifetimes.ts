/** Default clock-skew margin: an access token is not served in the last 5 minutes of its life. */
export const DEFAULT_SKEW_MS = 5 * 60_000;

export interface TokenLifetimes {
  expiresOn: number;
  extExpiresOn: number;
  refreshOn: number;
}

/**
 * Absolute times from the relative ones in a token response, measured from `requestedAt` (the time
 * the request was sent, so network latency only shortens the cached lifetime): `refreshOn` from
 * `refresh_in`, else half the lifetime (R7); `extExpiresOn` from `ext_expires_in`, else `expiresOn`.
 */
export function computeLifetimes(
  requestedAt: number,
  expiresInSec: number,
  extExpiresInSec?: number,
  refreshInSec?: number,
): TokenLifetimes {
  const expiresOn = requestedAt + expiresInSec * 1000;
  const extExpiresOn = Math.max(expiresOn, requestedAt + (extExpiresInSec ?? expiresInSec) * 1000);
  const refreshOn = Math.min(expiresOn, requestedAt + (refreshInSec ?? expiresInSec / 2) * 1000);
  return { expiresOn, extExpiresOn, refreshOn };
}

/**
 * The skew margin applied to one token: `skewMs`, but never more than a quarter of the token's
 * lifetime, so short-lived test tokens (a 60 s emulator token) stay usable for most of their life.
 */
export function effectiveSkew(entry: { cachedAt: number; expiresOn: number }, skewMs: number): number {
  return Math.max(0, Math.min(skewMs, (entry.expiresOn - entry.cachedAt) / 4));
}

/** True while the token may be served from cache: `now < expiresOn - skew`. */
export function isFresh(entry: { cachedAt: number; expiresOn: number }, now: number, skewMs: number): boolean {
  return now < entry.expiresOn - effectiveSkew(entry, skewMs);
}

/** True while the token has not actually expired (used to serve it during IdP trouble). */
export function isUnexpired(entry: { expiresOn: number }, now: number): boolean {
  return now < entry.expiresOn;
}
