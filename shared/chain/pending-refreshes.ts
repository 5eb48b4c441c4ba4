import * as v from "valibot";
import { resourceScopes } from "../cache/scopes.js";
import type { CoreEventType, Emit } from "../events.js";
import type { KeyValueStore } from "../ports.js";
import { STORE_PREFIXES } from "../storage/key-prefixes.js";
import { PersistedRecords, readWith } from "../storage/persisted-records.js";

/** A refresh a caller asked for that the IdP could not serve (throttled, down, timed out). */
export interface PendingRefresh {
  clientId: string;
  homeAccountId: string;
  scopes: string[];
  /** When it was first wanted (epoch ms): due from then on. */
  since: number;
}

const readPendingRefresh = readWith(v.object({ clientId: v.string(), homeAccountId: v.string(), scopes: v.array(v.string()), since: v.number() }));

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
  private readonly entries: PersistedRecords<PendingRefresh>;

  constructor(store: KeyValueStore, emit?: Emit<CoreEventType>) {
    this.entries = new PersistedRecords<PendingRefresh>({
      store,
      prefix: STORE_PREFIXES.pendingRefresh,
      what: "a refresh still owed",
      emit,
      read: readPendingRefresh,
    });
  }

  load(): Promise<void> {
    return this.entries.load();
  }

  all(): PendingRefresh[] {
    return this.entries.entries().map(([, p]) => ({ ...p, scopes: [...p.scopes] }));
  }

  /** Remembers a refresh still owed (keeps the earliest `since`); true when it was not owed yet. */
  async add(refresh: PendingRefresh): Promise<boolean> {
    const key = keyOf(refresh);
    if (this.entries.get(key)) return false;
    await this.entries.set(key, { ...refresh, scopes: [...refresh.scopes] });
    return true;
  }

  /** Whether `refresh` is still owed. */
  has(refresh: PendingRefresh): boolean {
    return this.entries.get(keyOf(refresh)) !== undefined;
  }

  /** A new token for (account, client) covering `scopes` was stored: the refreshes it covers are done. */
  settle(clientId: string, homeAccountId: string, scopes: readonly string[]): Promise<void> {
    const granted = new Set(scopes.map((s) => s.toLowerCase()));
    return this.entries.deleteWhere(
      (p) =>
        p.clientId.toLowerCase() === clientId.toLowerCase() &&
        p.homeAccountId === homeAccountId &&
        resourceScopes(p.scopes).every((s) => granted.has(s.toLowerCase())),
    );
  }

  /** Forgets one refresh (its account or refresh token is gone). */
  remove(refresh: PendingRefresh): Promise<void> {
    return this.entries.delete(keyOf(refresh));
  }
}
