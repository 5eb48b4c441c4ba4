import type { AuthenticationResult } from "@azure/msal-browser";
import type { Clock } from "../../../shared/ports.js";
import type { RefreshRecord } from "./refresh-records.js";

/** What the status panel shows of one token: its times and where it came from, never the token. */
export interface TokenInfo {
  scopes: string[];
  expiresOn?: number;
  refreshOn?: number;
  fromCache: boolean;
  acquiredAt: number;
}

/**
 * The tokens this page holds, one entry per requested scope set — `requested`, not the granted
 * scopes, keys an entry as it keys the cross-tab lock and the refresh timer.
 */
export class ShownTokens {
  private readonly byScopes = new Map<string, TokenInfo>();

  constructor(private readonly clock: Clock) {}

  /** A token MSAL just handed us (from its cache or the network). */
  fromResult(result: AuthenticationResult, requested: string[]): void {
    this.byScopes.set(scopeKey(requested), {
      scopes: requested,
      ...(result.expiresOn ? { expiresOn: result.expiresOn.getTime() } : {}),
      ...(result.refreshOn ? { refreshOn: result.refreshOn.getTime() } : {}),
      fromCache: result.fromCache,
      acquiredAt: this.clock.now(),
    });
  }

  /** Another tab's record: the token is in the shared cache, our MSAL catches up. */
  fromRecord(record: RefreshRecord, requested: string[]): void {
    this.byScopes.set(scopeKey(requested), {
      scopes: requested,
      expiresOn: record.expiresOn,
      refreshOn: record.refreshOn,
      fromCache: true,
      acquiredAt: this.clock.now(),
    });
  }

  clear(): void {
    this.byScopes.clear();
  }

  list(): TokenInfo[] {
    return [...this.byScopes.values()];
  }
}

const scopeKey = (scopes: string[]) => [...scopes].sort().join(" ");
