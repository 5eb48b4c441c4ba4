import {
  CacheLookupPolicy,
  type AccountInfo,
  type AuthenticationResult,
  type IPublicClientApplication,
} from "@azure/msal-browser";
import { AuthShellError } from "../../../shared/errors.js";
import { clockedEmitter, type Emit, type ShellEventType } from "../../../shared/events.js";
import { RetryAfterGate } from "../../../shared/resilience/retry-after-gate.js";
import { CircuitBreaker } from "../../../shared/resilience/circuit-breaker.js";
import { readIdTokenClaims, type IdentityClaims } from "../../../shared/oidc/id-token-claims.js";
import type { ResolvedShellConfig } from "./config.js";
import { EventLog } from "./event-log.js";
import { createResilientNetworkClient, type ResilientNetworkClient } from "./msal-network-client.js";
import { toShellError } from "./msal-errors.js";
import { RefreshRecords, type RefreshRecord } from "./refresh-records.js";
import { RefreshTimer, refreshTimeOf } from "./refresh-timer.js";
import { ShownTokens, type TokenInfo } from "./shown-tokens.js";
import { browserShellClients, watchForBridge, type ShellClients, type TokenSource } from "./shell-msal-client.js";
import { PopupSignIn } from "./popup-sign-in.js";
import type { ShellPlatform } from "./shell-platform.js";
import { signInRequest } from "./sign-in-request.js";
import { activeWaits, BrokerWaits, type ShellWait } from "./waits.js";

export type { TokenSource } from "./shell-msal-client.js";
export type { TokenInfo } from "./shown-tokens.js";

/**
 * The SPA's auth core: MSAL's nestable client (tokens from the extension's bridge when present,
 * standard MSAL flows otherwise) wrapped with one refresh across tabs (Web Locks around silent
 * acquisition, check → lock → re-check), proactive refresh at `refresh_in`, and a persisted
 * Retry-After gate + backoff on every IdP request MSAL makes in standalone mode.
 */
export class ShellAuth {
  readonly gate: RetryAfterGate;
  readonly breaker: CircuitBreaker;
  private readonly tokens: ShownTokens;
  private readonly listeners = new Set<() => void>();
  private readonly refreshTimer: RefreshTimer;
  private revisionCount = 0;
  private pendingCount = 0;
  private readonly brokerWaits: BrokerWaits;
  private readonly popup: PopupSignIn;
  /** Set by signOut: the next sign-in offers the IdP's account picker (see signInRequest). */
  private signedOut = false;
  private readonly log: Emit<ShellEventType>;

  private constructor(
    readonly config: ResolvedShellConfig,
    private mode: TokenSource,
    private pca: IPublicClientApplication,
    private readonly platform: ShellPlatform,
    gate: RetryAfterGate,
    breaker: CircuitBreaker,
    private readonly network: ResilientNetworkClient,
    readonly events: EventLog,
  ) {
    this.gate = gate;
    this.breaker = breaker;
    this.log = clockedEmitter(platform.clock, events);
    this.tokens = new ShownTokens(platform.clock);
    this.brokerWaits = new BrokerWaits(platform.clock);
    this.popup = new PopupSignIn({
      clock: platform.clock,
      postCount: () => network.postCount(),
      onAbandonedSettled: (error) =>
        this.log("sign_in.abandoned_settled", error === undefined ? "A closed sign-in window's request finished late" : "A closed sign-in window's request ended"),
    });
    this.refreshTimer = new RefreshTimer(
      platform.clock,
      (scopes) => this.refreshIfDue(scopes),
      (error) => {
        const failure = this.fail(error, "refresh.proactive_failed");
        this.notify();
        return failure;
      },
    );
    this.events.subscribe(() => this.notify());
  }

  /** Where tokens come from now: "standalone" at load may become "extension" when the bridge arrives. */
  get source(): TokenSource {
    return this.mode;
  }

  static async create(config: ResolvedShellConfig, platform: ShellPlatform, clients: ShellClients = browserShellClients): Promise<ShellAuth> {
    const events = new EventLog();
    const emit = clockedEmitter(platform.clock, events);
    const gate = new RetryAfterGate(platform.store, platform.clock, emit);
    const breaker = new CircuitBreaker(platform.store, platform.clock, {}, undefined, emit);
    await gate.load();
    const network = createResilientNetworkClient({ clock: platform.clock, http: platform.http, random: platform.random, gate, breaker, events });
    const { pca, source } = await clients.create(config, network);
    const shell = new ShellAuth(config, source, pca, platform, gate, breaker, network, events);
    const account = pca.getActiveAccount() ?? pca.getAllAccounts()[0];
    if (account) pca.setActiveAccount(account);
    shell.log("shell.started", source === "extension" ? "Tokens come from the browser extension" : "No extension bridge: using MSAL directly");
    if (source === "standalone" && config.useExtension) {
      // It stops listening once the bridge came (for the page's lifetime otherwise: one listener).
      watchForBridge(clients, () => void shell.adoptBridge(clients));
    }
    return shell;
  }

  /**
   * The bridge arrived after load (a tab restored at browser start-up loads before the restarted
   * worker re-registers its content scripts; the worker then injects the bridge into it): switch to
   * the broker and sign in silently through it, with no reload and no prompt.
   *
   * Only while no account is signed in here. A standalone session owns its tokens (MSAL's
   * localStorage cache shared with the origin's other standalone tabs, their refresh records, the
   * proactive refresh timer) and the app may hold its account and be mid-request: swapping the client
   * under it would drop that session for another cache and another account object. It keeps working
   * standalone and uses the broker from its next load.
   */
  private async adoptBridge(clients: ShellClients): Promise<void> {
    const stay = () => this.log("bridge.arrived", "The extension bridge arrived; this page stays standalone while signed in", { mode: this.mode });
    if (this.account() || this.pendingCount > 0) return stay();
    let bridged: IPublicClientApplication | undefined;
    try {
      bridged = await clients.createBridged(this.config, this.network);
    } catch (error) {
      this.fail(error, "bridge.switch_failed");
      return;
    }
    if (!bridged) {
      this.log("bridge.switch_failed", "The extension bridge arrived but MSAL could not use it; staying standalone", { mode: this.mode });
      return;
    }
    // A standalone sign-in may have started or finished while MSAL was setting up the bridge.
    if (this.account() || this.pendingCount > 0) return stay();
    this.refreshTimer.cancel();
    this.tokens.clear();
    this.pca = bridged;
    this.mode = "extension";
    this.log("bridge.mode_changed", "The extension bridge arrived: tokens now come from the browser extension", { mode: "extension" });
    try {
      const result = await this.acquireSilent(this.config.scopes);
      this.log("account.signed_in", `Signed in through the extension as ${result.account.username}`);
    } catch {
      // acquireSilent logged it (token_failed); the page stays signed out until the user signs in.
    }
  }

  account(): AccountInfo | null {
    return this.pca.getActiveAccount() ?? this.pca.getAllAccounts()[0] ?? null;
  }

  /** Roles, groups and overage from the ID token (R8) — no UserInfo call. */
  identity(): IdentityClaims | undefined {
    const claims = this.account()?.idTokenClaims;
    return claims ? readIdTokenClaims(claims as Record<string, unknown>) : undefined;
  }

  /** Interactive sign-in (a popup standalone, the extension's window in nested mode). */
  async signIn(claims?: string, scopes: string[] = this.config.scopes): Promise<AccountInfo> {
    const request = signInRequest({ scopes, ...(claims ? { claims } : {}), account: this.account(), afterSignOut: this.signedOut });
    this.pendingCount++;
    this.notify();
    try {
      // Standalone, we open the popup and so can tell when the user closes it; the extension's
      // sign-in window is the broker's, which reports user_cancelled itself.
      const result = this.source === "standalone" ? await this.popup.run(this.pca, request) : await this.pca.acquireTokenPopup(request);
      this.pca.setActiveAccount(result.account);
      this.signedOut = false;
      this.brokerWaits.clear();
      this.remember(result, scopes);
      this.log("account.signed_in", `Signed in as ${result.account.username}`);
      return result.account;
    } catch (error) {
      throw this.fail(error, "account.sign_in_failed");
    } finally {
      this.pendingCount--;
      this.notify();
    }
  }

  async signOut(): Promise<void> {
    const account = this.account();
    this.refreshTimer.cancel();
    this.tokens.clear();
    if (account) await this.records().clear(account);
    await this.pca.clearCache(account ? { account } : undefined);
    this.pca.setActiveAccount(null);
    this.signedOut = true;
    this.log("account.signed_out", "Signed out of this app");
  }

  /** A token for `scopes`, silently; with `claims` the cache is bypassed (a CAE challenge). */
  async getToken(scopes: string[], claims?: string): Promise<string> {
    const result = await this.acquireSilent(scopes, claims);
    return result.accessToken;
  }

  async acquireSilent(scopes: string[], claims?: string, policy?: CacheLookupPolicy, forceRefresh = false): Promise<AuthenticationResult> {
    const account = this.account();
    if (!account && this.source === "standalone") throw new AuthShellError("no_account", "No signed-in account");
    const request = {
      scopes,
      ...(account ? { account } : {}),
      ...(claims ? { claims } : {}),
      ...(forceRefresh ? { forceRefresh } : {}),
      ...(policy !== undefined && this.source === "standalone" ? { cacheLookupPolicy: policy } : {}),
    };
    // Another tab may have closed a Retry-After gate since we last looked.
    await this.gate.load();
    this.pendingCount++;
    this.notify();
    try {
      const run = () => this.pca.acquireTokenSilent(request as Parameters<IPublicClientApplication["acquireTokenSilent"]>[0]);
      // The extension single-flights across every tab itself; standalone tabs share MSAL's localStorage
      // cache, so one tab refreshes while the others wait on the Web Lock, then read the new token.
      const runAndRecord = async () => {
        const result = await run();
        // A network answer is the newest token: tell the tabs that take the lock next (see RefreshRecord).
        if (!result.fromCache) await this.records().write(result, scopes, refreshTimeOf(result));
        return result;
      };
      const result = this.source === "standalone" ? await this.platform.lock.withLock(this.lockName(scopes), runAndRecord) : await run();
      if (!account) this.pca.setActiveAccount(result.account);
      this.brokerWaits.clear();
      this.remember(result, scopes);
      return result;
    } catch (error) {
      throw this.fail(error, "token.failed");
    } finally {
      this.pendingCount--;
      this.notify();
    }
  }

  /** Token and sign-in requests in flight (the broker may be waiting out a backoff for us). */
  pending(): number {
    return this.pendingCount;
  }

  /** Every wait in force: this page's gates and backoff, and what the extension broker reported. */
  waits(): ShellWait[] {
    return activeWaits(this.gate, this.breaker, this.brokerWaits, this.platform.clock);
  }

  tokenInfo(): TokenInfo[] {
    return this.tokens.list();
  }

  nextRefreshAt(): number | undefined {
    return this.refreshTimer.nextAt();
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Proactive refresh (R7): at `refreshOn`, one tab refreshes; others find the new token after the lock. */
  async refreshIfDue(scopes: string[]): Promise<boolean> {
    return this.platform.lock.withLock(this.lockName(scopes), async () => {
      const account = this.account();
      if (!account) return false;
      const cached = await this.pca.acquireTokenSilent({ scopes, account, cacheLookupPolicy: CacheLookupPolicy.AccessToken }).catch(() => undefined);
      const now = this.platform.clock.now();
      if (cached && refreshTimeOf(cached) > now) {
        this.remember(cached, scopes);
        return false;
      }
      // Our MSAL may still show the old token (or, midway through its update, none) although another tab
      // refreshed it just before handing us the lock; the record cannot lag. A newer, not-yet-due token
      // exists in the shared cache: adopt its times and send nothing (our refresh token may be the spent one).
      const record = await this.records().read(account, scopes);
      if (record && record.refreshOn > now && record.expiresOn > (cached?.expiresOn?.getTime() ?? 0)) {
        this.rememberTimes(record, scopes);
        this.log("refresh.by_other_tab", `Another tab refreshed ${scopes.join(" ")}`);
        return false;
      }
      const fresh = await this.pca.acquireTokenSilent({ scopes, account, cacheLookupPolicy: CacheLookupPolicy.RefreshTokenAndNetwork });
      await this.records().write(fresh, scopes, refreshTimeOf(fresh));
      this.remember(fresh, scopes);
      this.log("refresh.proactive", `Refreshed ${scopes.join(" ")} ahead of expiry`);
      return true;
    });
  }

  private records(): RefreshRecords {
    return new RefreshRecords(this.platform.records, this.config.clientId, this.platform.clock, this.log);
  }

  /** Like `remember`, from another tab's record: the token is in the shared cache, our MSAL catches up. */
  private rememberTimes(record: RefreshRecord, requested: string[]): void {
    this.tokens.fromRecord(record, requested);
    this.refreshTimer.scheduleAt(Math.max(record.refreshOn, this.platform.clock.now() + 1_000), requested);
    this.notify();
  }

  /** Records what the status panel shows; `requested` (not the granted scopes) keys the lock and timer. */
  private remember(result: AuthenticationResult, requested: string[]): void {
    this.tokens.fromResult(result, requested);
    if (this.source === "standalone") this.refreshTimer.scheduleFor(result, requested);
    this.notify();
  }

  private lockName(scopes: string[]): string {
    return `silent:${this.config.clientId}:${[...scopes].sort().join(" ")}`;
  }

  private fail(error: unknown, type: ShellEventType): AuthShellError {
    const failure = toShellError(error, this.network.takeLastFailure());
    // Standalone, the gates and breakers already hold these waits; the broker's are only in the error.
    if (this.source === "extension") this.brokerWaits.noteFailure(failure.code, failure.retryAfterMs);
    this.log(type, `${failure.code}: ${failure.message}`.slice(0, 200), {
      code: failure.code,
      ...(failure.retryAfterMs !== undefined ? { retryAfterMs: failure.retryAfterMs } : {}),
    });
    return failure;
  }

  /** Changes whenever anything shown in the UI changed (for useSyncExternalStore). */
  revision(): number {
    return this.revisionCount;
  }

  private notify(): void {
    this.revisionCount++;
    for (const listener of this.listeners) listener();
  }
}
