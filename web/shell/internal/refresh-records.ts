import type { AccountInfo, AuthenticationResult } from "@azure/msal-browser";
import { AuthShellError } from "../../../shared/errors.js";
import type { CoreEventType, Emit } from "../../../shared/events.js";
import type { Clock, KeyValueStore } from "../../../shared/ports.js";
import { STORE_PREFIXES } from "../../../shared/storage/key-prefixes.js";

/**
 * Written (under the lock) by the tab that got a token from the network, for the tabs that take the
 * lock next. They cannot rely on MSAL's view of the cache: MSAL 5 keeps a per-tab in-memory copy of its
 * encrypted localStorage cache, updated from other tabs by a BroadcastChannel message and an async
 * decrypt — with no ordering against Web Locks, so right after the lock is handed over a tab may still
 * see the old token (or none). Refresh times only, never tokens.
 */
export interface RefreshRecord {
  refreshOn: number;
  expiresOn: number;
  refreshedAt: number;
}

/** Refresh records per client, account and scope set, in a store consistent across tabs (IndexedDB). */
export class RefreshRecords {
  constructor(
    private readonly store: KeyValueStore,
    private readonly clientId: string,
    private readonly clock: Clock,
    private readonly emit: Emit<CoreEventType>,
  ) {}

  read(account: AccountInfo, scopes: string[]): Promise<RefreshRecord | undefined> {
    return this.store.get<RefreshRecord>(this.key(account, scopes));
  }

  /**
   * Best effort: without the record another tab may refresh once more (MSAL's view catches up soon
   * after), so a failed write is an event, not the caller's failure.
   */
  async write(result: AuthenticationResult, scopes: string[], refreshOn: number): Promise<void> {
    if (!result.expiresOn) return;
    const record: RefreshRecord = { refreshOn, expiresOn: result.expiresOn.getTime(), refreshedAt: this.clock.now() };
    await this.store.set(this.key(result.account, scopes), record).catch((error: unknown) => {
      const code = AuthShellError.from(error, "storage_error").code;
      this.emit("storage.write_failed", `Could not save the refresh record other tabs read (${code})`, { prefix: STORE_PREFIXES.shellRefresh, code });
    });
  }

  async clear(account: AccountInfo): Promise<void> {
    const entries = await this.store.entries(this.prefix(account));
    await this.store.batch({ delete: entries.map(([key]) => key) });
  }

  private prefix(account: AccountInfo): string {
    return `${STORE_PREFIXES.shellRefresh}${this.clientId}:${account.homeAccountId}:`;
  }

  private key(account: AccountInfo, scopes: string[]): string {
    return this.prefix(account) + [...scopes].sort().join(" ");
  }
}
