/** Store keys of the token cache. Components are URI-encoded so `|` never appears inside one. */

import { STORE_PREFIXES } from "../storage/key-prefixes.js";

export { ACTIVE_ACCOUNT_KEY } from "../storage/key-prefixes.js";
export const ACCOUNT_PREFIX = STORE_PREFIXES.account;
export const ID_TOKEN_PREFIX = STORE_PREFIXES.idToken;
export const ACCESS_TOKEN_PREFIX = STORE_PREFIXES.accessToken;
export const REFRESH_TOKEN_PREFIX = STORE_PREFIXES.refreshToken;

const enc = encodeURIComponent;

/** (homeAccountId, authority, clientId): one refresh-token family, one ID token. */
export function familyKey(homeAccountId: string, authority: string, clientId: string): string {
  return `${enc(homeAccountId)}|${enc(authority.toLowerCase())}|${enc(clientId.toLowerCase())}`;
}

export function accountKey(homeAccountId: string): string {
  return `${ACCOUNT_PREFIX}${enc(homeAccountId)}`;
}

export function idTokenKey(family: string): string {
  return `${ID_TOKEN_PREFIX}${family}`;
}

export function refreshTokenKey(family: string): string {
  return `${REFRESH_TOKEN_PREFIX}${family}`;
}

/** The partition of access tokens that may serve one request: family + claims hash. */
export function accessTokenPartition(family: string, claimsHash: string): string {
  return `${family}|${enc(claimsHash)}`;
}

/** `scopes` must already be normalised and sorted (see `resourceScopes`). */
export function accessTokenKey(partition: string, scopes: readonly string[]): string {
  return `${ACCESS_TOKEN_PREFIX}${partition}|${enc(scopes.join(" "))}`;
}

/**
 * A stable, non-cryptographic 53-bit hash (cyrb53) of a claims request, "" for none. It only
 * separates cache partitions; claims are not secret.
 */
export function claimsHash(claims: string | undefined): string {
  if (!claims) return "";
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < claims.length; i++) {
    const ch = claims.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}
