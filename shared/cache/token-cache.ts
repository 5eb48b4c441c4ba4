import { AuthShellError } from "../errors.js";
import type { KeyValueStore } from "../ports.js";
import type { AccessTokenEntry, AccountEntry, CacheEntrySummary, IdTokenEntry, RefreshTokenEntry } from "./cache-entries.js";
import {
  ACCESS_TOKEN_PREFIX,
  ACCOUNT_PREFIX,
  ACTIVE_ACCOUNT_KEY,
  ID_TOKEN_PREFIX,
  REFRESH_TOKEN_PREFIX,
  accessTokenKey,
  accessTokenPartition,
  accountKey,
  familyKey,
  idTokenKey,
  refreshTokenKey,
} from "./cache-key.js";
import { resourceScopes } from "./scopes.js";

export interface AccessTokenQuery {
  homeAccountId: string;
  authority: string;
  clientId: string;
  scopes: readonly string[];
  claimsHash: string;
}

/** Everything one token response produces, written in ONE store batch. */
export interface SaveTokensInput {
  account: AccountEntry;
  idToken?: IdTokenEntry;
  accessToken: AccessTokenEntry;
  refreshToken?: RefreshTokenEntry;
}

interface IndexedAccessToken {
  key: string;
  family: string;
  entry: AccessTokenEntry;
  scopeSet: ReadonlySet<string>;
}

function familyOf(e: { homeAccountId: string; authority: string; clientId: string }): string {
  return familyKey(e.homeAccountId, e.authority, e.clientId);
}

async function guarded<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof AuthShellError) throw error;
    throw new AuthShellError("storage_error", `Token cache ${what} failed`, { cause: error });
  }
}

/**
 * The token cache: persisted through a KeyValueStore ("acct:", "idt:", "at:", "rt:"), served from
 * an in-memory index so a lookup is a map access plus a scan of one small partition.
 */
export class TokenCache {
  private loading: Promise<void> | undefined;
  private readonly accounts = new Map<string, AccountEntry>();
  private readonly idTokens = new Map<string, IdTokenEntry>();
  private readonly refreshTokens = new Map<string, RefreshTokenEntry>();
  private readonly accessTokens = new Map<string, IndexedAccessToken>();
  private readonly partitions = new Map<string, Map<string, IndexedAccessToken>>();
  private activeAccountId: string | undefined;

  constructor(private readonly store: KeyValueStore) {}

  /** Reads the whole cache into memory once (later calls share the first load). */
  load(): Promise<void> {
    this.loading ??= guarded("load", async () => {
      const [accounts, idTokens, accessTokens, refreshTokens, active] = await Promise.all([
        this.store.entries<AccountEntry>(ACCOUNT_PREFIX),
        this.store.entries<IdTokenEntry>(ID_TOKEN_PREFIX),
        this.store.entries<AccessTokenEntry>(ACCESS_TOKEN_PREFIX),
        this.store.entries<RefreshTokenEntry>(REFRESH_TOKEN_PREFIX),
        this.store.get<unknown>(ACTIVE_ACCOUNT_KEY),
      ]);
      if (typeof active === "string") this.activeAccountId = active;
      for (const [, a] of accounts) this.accounts.set(a.homeAccountId, a);
      for (const [, t] of idTokens) this.idTokens.set(familyOf(t), t);
      for (const [, t] of refreshTokens) this.refreshTokens.set(familyOf(t), t);
      for (const [key, t] of accessTokens) this.index(key, t);
    }).catch((error: unknown) => {
      this.loading = undefined;
      throw error;
    });
    return this.loading;
  }

  /** The covering access token with the latest expiry, fresh or not (callers judge freshness). */
  findAccessToken(query: AccessTokenQuery): AccessTokenEntry | undefined {
    const family = familyOf(query);
    const partition = this.partitions.get(accessTokenPartition(family, query.claimsHash));
    if (!partition) return undefined;
    const wanted = resourceScopes(query.scopes);
    const exact = partition.get(accessTokenKey(accessTokenPartition(family, query.claimsHash), wanted));
    let best: AccessTokenEntry | undefined = exact?.entry;
    for (const item of partition.values()) {
      if (best && item.entry.expiresOn <= best.expiresOn) continue;
      if (wanted.every((s) => item.scopeSet.has(s))) best = item.entry;
    }
    return best;
  }

  getRefreshToken(homeAccountId: string, authority: string, clientId: string): RefreshTokenEntry | undefined {
    return this.refreshTokens.get(familyKey(homeAccountId, authority, clientId));
  }

  /**
   * Re-reads one family's refresh token and access tokens from the store (authoritative when
   * another context may have rotated them) and updates the index. Use inside the family lock.
   */
  async reloadFamily(homeAccountId: string, authority: string, clientId: string): Promise<RefreshTokenEntry | undefined> {
    const family = familyKey(homeAccountId, authority, clientId);
    return guarded("read", async () => {
      const [rt, ats] = await Promise.all([
        this.store.get<RefreshTokenEntry>(refreshTokenKey(family)),
        this.store.entries<AccessTokenEntry>(`${ACCESS_TOKEN_PREFIX}${family}|`),
      ]);
      if (rt) this.refreshTokens.set(family, rt);
      else this.refreshTokens.delete(family);
      for (const item of [...this.accessTokens.values()]) if (item.family === family) this.unindex(item.key);
      for (const [key, t] of ats) this.index(key, t);
      return rt;
    });
  }

  getAccount(homeAccountId: string): AccountEntry | undefined {
    return this.accounts.get(homeAccountId);
  }

  getAccounts(): AccountEntry[] {
    return [...this.accounts.values()].sort((a, b) => b.lastSignInAt - a.lastSignInAt);
  }

  /**
   * The account requests that name none are served for: the one made active (the first sign-in, a
   * switch), else — a cache written before there was an active account, or a pointer to an account
   * that is gone — the latest signed-in one.
   */
  getActiveAccount(): AccountEntry | undefined {
    return (this.activeAccountId !== undefined ? this.accounts.get(this.activeAccountId) : undefined) ?? this.getAccounts()[0];
  }

  /** Makes a cached account the active one (persisted: it survives worker restarts). */
  async setActiveAccount(homeAccountId: string): Promise<void> {
    if (!this.accounts.has(homeAccountId)) throw new AuthShellError("no_account", "That account is not signed in");
    await guarded("write", () => this.store.set(ACTIVE_ACCOUNT_KEY, homeAccountId));
    this.activeAccountId = homeAccountId;
  }

  getIdToken(homeAccountId: string, authority: string, clientId: string): IdTokenEntry | undefined {
    return this.idTokens.get(familyKey(homeAccountId, authority, clientId));
  }

  allAccessTokens(): AccessTokenEntry[] {
    return [...this.accessTokens.values()].map((i) => i.entry);
  }

  /**
   * Writes account, ID token, access token and (rotated) refresh token in ONE batch, replacing
   * access tokens of the same family whose scopes intersect the new one's (same resource).
   */
  async save(input: SaveTokensInput): Promise<void> {
    const at = input.accessToken;
    const family = familyOf(at);
    const key = accessTokenKey(accessTokenPartition(family, at.claimsHash), at.scopes);
    const newScopes = new Set(at.scopes);
    const replaced = [...this.accessTokens.values()]
      .filter((i) => i.family === family && i.key !== key && i.entry.scopes.some((s) => newScopes.has(s)))
      .map((i) => i.key);
    const put: Record<string, unknown> = { [accountKey(input.account.homeAccountId)]: input.account, [key]: at };
    if (input.idToken) put[idTokenKey(familyOf(input.idToken))] = input.idToken;
    if (input.refreshToken) put[refreshTokenKey(familyOf(input.refreshToken))] = input.refreshToken;
    // The first account signed in (or the first after the last one went) becomes the active one.
    const becomesActive = this.getActiveAccount() === undefined;
    if (becomesActive) put[ACTIVE_ACCOUNT_KEY] = input.account.homeAccountId;
    await guarded("write", () => this.store.batch({ put, delete: replaced }));
    this.accounts.set(input.account.homeAccountId, input.account);
    if (becomesActive) this.activeAccountId = input.account.homeAccountId;
    if (input.idToken) this.idTokens.set(familyOf(input.idToken), input.idToken);
    if (input.refreshToken) this.refreshTokens.set(familyOf(input.refreshToken), input.refreshToken);
    for (const k of replaced) this.unindex(k);
    this.index(key, at);
  }

  /** Drops a refresh token the IdP rejected (invalid_grant), so it is never sent again. */
  async removeRefreshToken(homeAccountId: string, authority: string, clientId: string): Promise<void> {
    const family = familyKey(homeAccountId, authority, clientId);
    await guarded("write", () => this.store.delete(refreshTokenKey(family)));
    this.refreshTokens.delete(family);
  }

  /**
   * Removes an account and every token it owns, in one batch. When it was the active account, the
   * latest signed-in remaining one becomes active (or none is, when it was the last).
   */
  async removeAccount(homeAccountId: string): Promise<void> {
    const owned = (e: { homeAccountId: string }) => e.homeAccountId === homeAccountId;
    const keys = [accountKey(homeAccountId)];
    const idt = [...this.idTokens].filter(([, e]) => owned(e)).map(([f]) => f);
    const rts = [...this.refreshTokens].filter(([, e]) => owned(e)).map(([f]) => f);
    const ats = [...this.accessTokens.values()].filter((i) => owned(i.entry)).map((i) => i.key);
    keys.push(...idt.map(idTokenKey), ...rts.map(refreshTokenKey), ...ats);
    const wasActive = this.getActiveAccount()?.homeAccountId === homeAccountId;
    const next = wasActive ? this.getAccounts().find((a) => a.homeAccountId !== homeAccountId) : undefined;
    const put: Record<string, unknown> = next ? { [ACTIVE_ACCOUNT_KEY]: next.homeAccountId } : {};
    if (wasActive && !next) keys.push(ACTIVE_ACCOUNT_KEY);
    await guarded("write", () => this.store.batch({ put, delete: keys }));
    this.accounts.delete(homeAccountId);
    if (wasActive) this.activeAccountId = next?.homeAccountId;
    for (const f of idt) this.idTokens.delete(f);
    for (const f of rts) this.refreshTokens.delete(f);
    for (const k of ats) this.unindex(k);
  }

  /** Token-free view of every cached access token. */
  summaries(): CacheEntrySummary[] {
    return this.allAccessTokens().map((e) => ({
      homeAccountId: e.homeAccountId,
      clientId: e.clientId,
      scopes: [...e.scopes],
      claimsBound: e.claimsHash !== "",
      expiresOn: e.expiresOn,
      extExpiresOn: e.extExpiresOn,
      refreshOn: e.refreshOn,
      hasRefreshToken: this.refreshTokens.has(familyOf(e)),
    }));
  }

  private index(key: string, entry: AccessTokenEntry): void {
    const family = familyOf(entry);
    const item: IndexedAccessToken = { key, family, entry, scopeSet: new Set(entry.scopes) };
    this.accessTokens.set(key, item);
    const partitionKey = accessTokenPartition(family, entry.claimsHash);
    let partition = this.partitions.get(partitionKey);
    if (!partition) this.partitions.set(partitionKey, (partition = new Map()));
    partition.set(key, item);
  }

  private unindex(key: string): void {
    const item = this.accessTokens.get(key);
    if (!item) return;
    this.accessTokens.delete(key);
    const partitionKey = accessTokenPartition(item.family, item.entry.claimsHash);
    const partition = this.partitions.get(partitionKey);
    partition?.delete(key);
    if (partition?.size === 0) this.partitions.delete(partitionKey);
  }
}
