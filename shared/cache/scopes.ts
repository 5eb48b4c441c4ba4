/**
 * The one scope vocabulary, as Entra has it: scopes compare case-insensitively, and the OIDC scopes
 * are reserved — never a resource's scope, never a reason for a cache miss, always allowed by a grant.
 * The broker adds `openid profile offline_access` to every request (`email` only when a caller asks).
 */
export const RESERVED_SCOPES: readonly string[] = ["openid", "profile", "email", "offline_access"];

/** What every token request carries besides the caller's scopes (an ID token and a refresh token). */
const REQUEST_OIDC_SCOPES: readonly string[] = ["openid", "profile", "offline_access"];

const RESERVED = new Set(RESERVED_SCOPES);

/** Trims, drops empties, lower-cases and de-duplicates, keeping first-seen order. */
export function normalizeScopes(scopes: Iterable<string>): string[] {
  const seen = new Set<string>();
  for (const scope of scopes) {
    for (const part of scope.split(/\s+/)) {
      const s = part.trim().toLowerCase();
      if (s) seen.add(s);
    }
  }
  return [...seen];
}

/** Normalised scopes without the reserved OIDC scopes, sorted — the form used for cache keys. */
export function resourceScopes(scopes: Iterable<string>): string[] {
  return normalizeScopes(scopes)
    .filter((s) => !RESERVED.has(s))
    .sort();
}

/** Scopes to send to the IdP: the caller's scopes (original case) plus every reserved scope. */
export function scopesForRequest(scopes: Iterable<string>): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const scope of [...scopes, ...REQUEST_OIDC_SCOPES]) {
    for (const part of scope.split(/\s+/)) {
      const key = part.toLowerCase();
      if (part && !seen.has(key)) {
        seen.add(key);
        out.push(part);
      }
    }
  }
  return out;
}

/** True when `granted` covers every non-reserved scope of `requested` (case-insensitive). */
export function scopesCover(granted: ReadonlySet<string> | Iterable<string>, requested: Iterable<string>): boolean {
  const set = granted instanceof Set ? granted : new Set(normalizeScopes(granted as Iterable<string>));
  for (const scope of resourceScopes(requested)) {
    if (!set.has(scope)) return false;
  }
  return true;
}

/** True when the two scope lists share a non-reserved scope. */
export function scopesIntersect(a: Iterable<string>, b: Iterable<string>): boolean {
  const set = new Set(resourceScopes(a));
  return resourceScopes(b).some((s) => set.has(s));
}
