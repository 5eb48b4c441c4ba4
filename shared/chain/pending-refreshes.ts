import { resourceScopes } from "../cache/scopes.js";
import type { KeyValueStore } from "../ports.js";

/** A refresh a caller asked for that the IdP could not serve (throttled, down, timed out). */
export interface PendingRefresh {
  clientId: string;
  homeAccountId: string;
  scopes: string[];
  /** When it was first wanted (epoch ms): due from then on. */
  since: number;
}

export const PENDING_REFRESH_PREFIX = "refresh-pending:";

const keyOf = (p: Pick<PendingRefresh, "clientId" | "homeAccountId" | "scopes">) =>
  `${p.clientId.toLowerCase()}|${p.homeAccountId}|${resourceScopes(p.scopes)
    .map((s) => s.toLowerCase())
    .sort()
    .join(" ")}`;

/**
 * The refreshes the broker owes its callers (R6): a forced refresh (or a refresh of an expired token)
 * that failed retryably is remembered here, persisted, so that the background scheduler keeps
 * retrying it — with the token endpoint's backoff — until a new token is stored, even when the
 * cached token is not yet due by its `refreshOn`. Nobody has to ask again for the broker to recover.
 */
export class PendingRefreshes {
  private readonly entries = new Map<string, PendingRefresh>();

  constructor(private readonly store: KeyValueStore) {}

  async load(): Promise<void> {
    for (const [, value] of await this.store.entries<PendingRefresh>(PENDING_REFRESH_PREFIX)) {
      if (isPendingRefresh(value) && !this.entries.has(keyOf(value))) this.entries.set(keyOf(value), value);
    }
  }

  all(): PendingRefresh[] {
    return [...this.entries.values()].map((p) => ({ ...p, scopes: [...p.scopes] }));
  }

  /** Remembers a refresh still owed (keeps the earliest `since`); true when it was not owed yet. */
  async add(refresh: PendingRefresh): Promise<boolean> {
    const key = keyOf(refresh);
    if (this.entries.has(key)) return false;
    const entry = { ...refresh, scopes: [...refresh.scopes] };
    this.entries.set(key, entry);
    await this.store.set(PENDING_REFRESH_PREFIX + key, entry);
    return true;
  }

  /** Whether `refresh` is still owed. */
  has(refresh: PendingRefresh): boolean {
    return this.entries.has(keyOf(refresh));
  }

  /** A new token for (account, client) covering `scopes` was stored: the refreshes it covers are done. */
  async settle(clientId: string, homeAccountId: string, scopes: readonly string[]): Promise<void> {
    const granted = new Set(scopes.map((s) => s.toLowerCase()));
    for (const [key, p] of this.entries) {
      if (p.clientId.toLowerCase() !== clientId.toLowerCase() || p.homeAccountId !== homeAccountId) continue;
      if (!resourceScopes(p.scopes).every((s) => granted.has(s.toLowerCase()))) continue;
      await this.drop(key);
    }
  }

  /** Forgets one refresh (its account or refresh token is gone). */
  async remove(refresh: PendingRefresh): Promise<void> {
    await this.drop(keyOf(refresh));
  }

  private async drop(key: string): Promise<void> {
    if (!this.entries.delete(key)) return;
    await this.store.delete(PENDING_REFRESH_PREFIX + key);
  }
}

function isPendingRefresh(value: unknown): value is PendingRefresh {
  if (typeof value !== "object" || value === null) return false;
  const v = value as PendingRefresh;
  return typeof v.clientId === "string" && typeof v.homeAccountId === "string" && Array.isArray(v.scopes) && typeof v.since === "number";
}
