/**
 * The records the token cache stores through KeyValueStore (structured-clonable plain objects).
 * `secret` fields hold token values: they never leave the broker except as a TokenResult to a
 * granted caller, and never appear in events, errors or status summaries.
 */

export interface AccountEntry {
  homeAccountId: string;
  /** IdP host (with port), e.g. `login.microsoftonline.com`. */
  environment: string;
  tenantId: string;
  localAccountId: string;
  username: string;
  name?: string;
  /** Authority URL the account signed in with. */
  authority: string;
  lastSignInAt: number;
}

export interface IdTokenEntry {
  homeAccountId: string;
  authority: string;
  clientId: string;
  secret: string;
  claims: Record<string, unknown>;
  cachedAt: number;
}

export interface AccessTokenEntry {
  homeAccountId: string;
  authority: string;
  clientId: string;
  /** Normalised, sorted, non-reserved scopes the token covers. */
  scopes: string[];
  /** Hash of the access_token claims request it was obtained with ("" for none). */
  claimsHash: string;
  secret: string;
  cachedAt: number;
  expiresOn: number;
  extExpiresOn: number;
  refreshOn: number;
}

export interface RefreshTokenEntry {
  homeAccountId: string;
  authority: string;
  clientId: string;
  secret: string;
  cachedAt: number;
}

/** A token-free view of an access token entry for status displays. */
export interface CacheEntrySummary {
  homeAccountId: string;
  clientId: string;
  scopes: string[];
  claimsBound: boolean;
  expiresOn: number;
  extExpiresOn: number;
  refreshOn: number;
  hasRefreshToken: boolean;
}
