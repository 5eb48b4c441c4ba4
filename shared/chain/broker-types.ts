import type { CacheEntrySummary } from "../cache/cache-entries.js";
import type { AuthorizeFlow, Clock, Crypto, EventSink, HttpClient, KeyValueStore, Lock, Random } from "../ports.js";
import type { BreakerState, CircuitBreaker, CircuitBreakerPolicy } from "../resilience/circuit-breaker.js";
import type { InteractionCooldownPolicy } from "../resilience/interaction-cooldown.js";
import type { ResiliencePolicy } from "../resilience/resilient-request.js";
import type { GateState, RetryAfterGate } from "../resilience/retry-after-gate.js";
import type { SilentAuthorizeBackoffPolicy, SilentAuthorizeRecord } from "../resilience/silent-authorize-backoff.js";

export interface BrokerConfig {
  /** e.g. `https://localhost:8443/<tenant>` or `https://login.microsoftonline.com/<tenant>`. */
  authority: string;
  clientId: string;
  redirectUri: string;
  defaultScopes: string[];
  /** Client capabilities sent as `xms_cc` claims, e.g. ["cp1"] for CAE. */
  clientCapabilities: string[];
}

export interface BrokerPolicy {
  /** Clock-skew margin before expiry (default 5 min, at most a quarter of a token's lifetime). */
  skewMs: number;
  /** Refresh in the background when a served token is past `refreshOn` (default true). */
  backgroundRefresh: boolean;
  /** Where the IdP sends the browser after sign-out; default: the redirect URI. */
  postLogoutRedirectUri?: string;
  resilience: Partial<ResiliencePolicy>;
  /**
   * Attempts per IdP request made while a caller waits (`acquireToken`); default
   * `resilience.maxAttempts`. 1 = a caller never sleeps in a backoff inside the request — nor do the
   * callers that joined its single flight: it is answered from the cache or with a retryable error
   * carrying the wait at once, and the retries are left to the background (refresh alarm, whose
   * requests keep `resilience.maxAttempts`). The extension sets 1: a page is never left waiting
   * (docs/architecture.md, "The bridge").
   */
  callerMaxAttempts?: number;
  /**
   * Attempts per IdP request of a background refresh; default `resilience.maxAttempts`. 1 = a
   * background refresh never sleeps in a backoff either: its retries are left to the scheduler that
   * calls `refreshDue` at `nextRefreshAt` (the extension's alarms API, whose state survives the
   * worker — in-process timers would die with it). The extension sets 1.
   */
  backgroundMaxAttempts?: number;
  breaker: Partial<CircuitBreakerPolicy>;
  cooldown: Partial<InteractionCooldownPolicy>;
  /** Backoff of the silent step (`prompt=none`) after it failed or found no session. */
  silentBackoff: Partial<SilentAuthorizeBackoffPolicy>;
  /**
   * At most `count` forced refreshes (no claims challenge) per `intervalMs` reach the IdP for the same
   * client, account and scopes (default 3 per 15 s); beyond that a forced refresh is answered with
   * the token the last one produced. A page looping `forceRefresh` must not drive the broker into the
   * IdP's request-loop detection (AADSTS50196). `count: 0` turns the limit off.
   */
  forcedRefreshLimit: { count: number; intervalMs: number };
  /** Library identification sent as x-client-SKU / x-client-VER. */
  clientSku?: { name: string; version: string };
}

export interface BrokerDeps {
  config: BrokerConfig;
  clock: Clock;
  http: HttpClient;
  store: KeyValueStore;
  random: Random;
  crypto: Crypto;
  lock: Lock;
  authorizeFlow: AuthorizeFlow;
  events?: EventSink;
  policy?: Partial<BrokerPolicy>;
  /** Share a gate / breaker with other users of the same store (e.g. authFetch); created if absent. */
  gate?: RetryAfterGate;
  breaker?: CircuitBreaker;
}

export interface TokenRequest {
  scopes: string[];
  clientId?: string;
  claims?: string;
  forceRefresh?: boolean;
  allowInteraction: boolean;
  /**
   * A person asked for this prompt (a click in the extension's own UI, or a page call made under the
   * page's user activation as seen by the content script). Such a request opens the sign-in window
   * even during the interaction cool-down, which exists to stop loops, not people.
   */
  userInitiated?: boolean;
  /**
   * An app's own request, known to have no person behind it (a page's popup call made without user
   * activation). After the user closed a sign-in window, such a request never reopens one — not after
   * the cool-down either — until a person does or a sign-in succeeds: an app looping
   * `acquireTokenPopup` opened a window every 10 s, 20 s, … 2 min, for ever.
   */
  appInitiated?: boolean;
  /**
   * "Add another account": skips the cache, the refresh token and `prompt=none` and opens the
   * sign-in window with `prompt=select_account`, so the IdP offers a choice instead of reusing its
   * session. Needs `allowInteraction`.
   */
  selectAccount?: boolean;
  /**
   * "Sign in again" for an account whose session ended (revoked, signed out elsewhere): skips the
   * cache, the refresh token and `prompt=none` — the IdP already said only the person can help, and
   * a still-unexpired cached token must not answer for them — and opens the sign-in window for the
   * account the request names (login hint), without `prompt`. Needs `allowInteraction`.
   */
  reauthenticate?: boolean;
  loginHint?: string;
  homeAccountId?: string;
  correlationId?: string;
}

export interface AccountInfo {
  homeAccountId: string;
  localAccountId: string;
  tenantId: string;
  username: string;
  name?: string;
  environment: string;
  idTokenClaims?: Record<string, unknown>;
}

export type TokenSource = "cache" | "refresh_token" | "silent_authorize" | "interactive";

export interface TokenResult {
  accessToken: string;
  idToken: string;
  tokenType: "Bearer";
  scopes: string[];
  expiresOn: number;
  extExpiresOn: number;
  refreshOn: number;
  account: AccountInfo;
  source: TokenSource;
  correlationId: string;
  backgroundRefreshScheduled?: boolean;
}

export type SilentBackoffState = SilentAuthorizeRecord & { key: string; remainingMs: number };

export interface BrokerStatus {
  accounts: AccountInfo[];
  cache: CacheEntrySummary[];
  gates: GateState[];
  breakers: BreakerState[];
  cooldownUntil?: number;
  /** What the silent step (prompt=none) remembers per client and user (SilentAuthorizeBackoff). */
  silent?: SilentBackoffState[];
  /** The account requests that name none are served for (absent: nobody is signed in). */
  activeAccountId?: string;
}

export interface TokenBroker {
  /** Runs the acquisition chain; throws AuthShellError. */
  acquireToken(request: TokenRequest): Promise<TokenResult>;
  getAccounts(): Promise<AccountInfo[]>;
  /** The account requests that name none are served for: the first signed in, or the last switched to. */
  getActiveAccount(): Promise<AccountInfo | undefined>;
  /** Makes a signed-in account the active one (persisted); `no_account` when it is not signed in. */
  setActiveAccount(homeAccountId: string): Promise<void>;
  /**
   * Clears the account's (default: the active account's) tokens; when it was active, the latest
   * signed-in remaining account becomes active. The caller opens/calls `logoutUrl`.
   */
  signOut(homeAccountId?: string): Promise<{ logoutUrl: string }>;
  /** Refreshes every cached token whose `refreshOn` has passed; returns how many were refreshed. */
  refreshDue(): Promise<number>;
  /** Earliest `refreshOn` among cached access tokens (for the extension's alarms). */
  nextRefreshAt(): Promise<number | undefined>;
  status(): Promise<BrokerStatus>;
}
