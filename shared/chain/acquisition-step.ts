import type { AccountEntry } from "../cache/cache-entries.js";
import type { TokenCache } from "../cache/token-cache.js";
import type { AuthShellError } from "../errors.js";
import type { CoreEventType, Emit } from "../events.js";
import type { Authority } from "../oidc/authority.js";
import type { TokenClient } from "../oidc/token-client.js";
import type { AuthorizeFlow, Clock, Crypto, Lock, Random } from "../ports.js";
import type { CircuitBreaker } from "../resilience/circuit-breaker.js";
import type { InteractionCooldown } from "../resilience/interaction-cooldown.js";
import type { RetryAfterGate } from "../resilience/retry-after-gate.js";
import type { SilentAuthorizeBackoff } from "../resilience/silent-authorize-backoff.js";
import type { ForcedRefreshLimit } from "./forced-refresh-limit.js";
import type { InteractionQueue } from "./interaction-queue.js";
import type { BrokerConfig, BrokerPolicy, TokenResult } from "./broker-types.js";

/** Everything the steps share: ports, cache, resilience state, and an event emitter. */
export interface ChainServices {
  config: BrokerConfig;
  authority: Authority;
  policy: BrokerPolicy;
  clock: Clock;
  random: Random;
  crypto: Crypto;
  lock: Lock;
  authorizeFlow: AuthorizeFlow;
  cache: TokenCache;
  gate: RetryAfterGate;
  breaker: CircuitBreaker;
  cooldown: InteractionCooldown;
  /**
   * Remembered `prompt=none` failures and "no session" answers: a browser auth flow hides the
   * authorize endpoint's status, so its gate closes only when the AuthorizeFlow learnt of a 429.
   */
  silentBackoff: SilentAuthorizeBackoff;
  /** The forced refreshes that reached the IdP recently, per `forcedRefreshKey`. */
  forcedRefreshes: ForcedRefreshLimit;
  /** One sign-in window at a time, shared by every request (the browser allows only one auth flow). */
  interactions: InteractionQueue;
  /**
   * The token endpoint client for `clientId`. `caller`: a caller is waiting for this request (its
   * attempts are capped by `policy.callerMaxAttempts`); `background`: a background refresh.
   */
  tokenClient(clientId: string, mode: TokenRequestMode): TokenClient;
  /** Emits a token-free BrokerEvent, stamped with `clock`. */
  emit: Emit<CoreEventType>;
}

/** Whether a caller waits for an IdP request (`caller`) or nobody does (`background`). */
export type TokenRequestMode = "caller" | "background";

/** One acquisition, as the steps see it. */
export interface AcquisitionContext {
  services: ChainServices;
  clientId: string;
  /** The caller's scopes (reserved OIDC scopes are added on the wire). */
  scopes: string[];
  /** A real claims challenge (has an `access_token` member beyond xms_cc): bypasses the cache. */
  challengeClaims?: string;
  /** Hash of `challengeClaims` ("" when none): the cache partition. */
  claimsHash: string;
  forceRefresh: boolean;
  /** Background refresh: a re-check only accepts tokens whose `refreshOn` is still ahead. */
  refreshDueOnly: boolean;
  allowInteraction: boolean;
  /** A person asked (a click in the extension's UI, or a page's call made under user activation). */
  userInitiated: boolean;
  /** An app's own request with no person behind it: it never reopens a window the user closed. */
  appInitiated: boolean;
  /** "Add another account": straight to an interactive `prompt=select_account`, no cached account. */
  selectAccount: boolean;
  /** "Sign in again": straight to an interactive prompt for the named account (no cache, refresh token or prompt=none). */
  reauthenticate: boolean;
  loginHint?: string;
  account?: AccountEntry;
  correlationId: string;
  startedAt: number;
  /** Set when the chain failed retryably and answered with the cached token instead (R5, R6). */
  servedDuringOutage?: AuthShellError;
}

export type StepOutcome =
  | { kind: "token"; result: TokenResult }
  | { kind: "fall_through"; reason: string; error?: AuthShellError };

/** A step of the acquisition chain (docs/architecture.md): returns a token or a reason to fall through. */
export interface AcquisitionStep {
  readonly name: "cache" | "refresh_token" | "silent_authorize" | "interactive";
  run(context: AcquisitionContext): Promise<StepOutcome>;
}

export function fallThrough(reason: string, error?: AuthShellError): StepOutcome {
  return error ? { kind: "fall_through", reason, error } : { kind: "fall_through", reason };
}

/** Background refreshes (`refreshDueOnly`) have nobody waiting; every other acquisition has a caller. */
export function requestMode(context: AcquisitionContext): TokenRequestMode {
  return context.refreshDueOnly ? "background" : "caller";
}
