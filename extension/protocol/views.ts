import type { ErrorCode } from "../../shared/errors.js";
import type { BreakerPhase } from "../../shared/resilience/circuit-breaker.js";
import type { GateSubject } from "../../shared/resilience/gate-keys.js";

export type { GateSubject };

/**
 * Token-free snapshots that cross a channel: what the extension broker's `status()` returns, what the
 * popup and options page show, and the grant and configuration records they edit. Plain data only —
 * structured-clonable, never a token value — so any channel may carry them as they are.
 */


export interface AccountView {
  homeAccountId: string;
  username: string;
  name?: string;
  /** The account's home tenant. */
  tenantId: string;
  environment: string;
  /** The account requests that name none are served for (exactly one is, while any is signed in). */
  active: boolean;
}

/** The account fields a view shows (never the ID token or its claims). */
export function accountView(a: Pick<AccountView, "homeAccountId" | "username" | "name" | "tenantId" | "environment">, active: boolean): AccountView {
  return { homeAccountId: a.homeAccountId, username: a.username, tenantId: a.tenantId, environment: a.environment, active, ...(a.name ? { name: a.name } : {}) };
}

interface CacheEntryView {
  /** The account the token belongs to (so the popup can mark the tokens of an account whose sign-in ended). */
  homeAccountId: string;
  clientId: string;
  scopes: string[];
  expiresOn: number;
  refreshOn: number;
  hasRefreshToken: boolean;
  claimsBound: boolean;
}

interface ThrottleView {
  /** Retry-After windows: what is held back (an IdP endpoint or a resource host) and until when. */
  gates: Array<{ subject: GateSubject; closedUntil: number; remainingMs: number }>;
  breakers: Array<{ subject: GateSubject; phase: BreakerPhase; consecutiveFailures: number; openUntil?: number }>;
  cooldownUntil?: number;
  /** When the next proactive refresh or backoff retry alarm fires. */
  nextAlarmAt?: number;
}

/**
 * What the silent sign-in step (prompt=none) remembers: `no_session` = the IdP said only the user can
 * help (sessions revoked, signed out elsewhere); `failed` = the sign-in page failed, retried at `until`.
 */
export interface SilentAttemptView {
  kind: "no_session" | "failed";
  /** The AuthShellError code of the remembered answer (detail only, never the headline). */
  code: ErrorCode;
  until: number;
  remainingMs: number;
  /** The account the attempt was for, when it named one (absent: a login hint or nobody). */
  homeAccountId?: string;
}

export interface StatusView extends ThrottleView {
  now: number;
  accounts: AccountView[];
  cache: CacheEntryView[];
  /** Absent from brokers that do not report it; an empty list means nothing is remembered. */
  silent?: SilentAttemptView[];
}

/** One web origin allowed to ask for tokens over the Nested App Auth bridge. */
export interface Grant {
  /** A web origin such as "https://app.contoso.com" or "http://localhost:5173". */
  origin: string;
  /** The client IDs this origin may request tokens for ("*" = any). */
  clientIds: string[];
  /**
   * The scopes it may ask for (OIDC reserved scopes are always allowed); "*" allows any; absent =
   * the configured default scopes only.
   */
  scopes?: string[];
  addedAt: number;
}

/** The broker settings an administrator or user can change (our extension's options page). */
export interface ExtensionConfig {
  authority: string;
  clientId: string;
  defaultScopes: string[];
}

export interface ConfigView extends ExtensionConfig {
  redirectUri: string;
  /** Fields preset by enterprise policy; the options page shows them read-only. */
  managed: Array<keyof ExtensionConfig>;
}

/** A site's ask for scopes outside its grant, waiting for the person's answer (issue 22). */
export interface ScopeQuestionView {
  /** Site, client ID and normalised scopes: the same question asked again is the same decision. */
  id: string;
  origin: string;
  clientId: string;
  /** The scopes outside the grant. */
  scopes: string[];
  askedAt: number;
  expiresAt: number;
}

/**
 * One token the broker handed out, as the activity record keeps it (docs/threat-model.md): who got
 * it, for what, and how it was obtained — never the token itself.
 */
export interface ActivityEntry {
  /** When it was served (epoch ms). */
  at: number;
  /**
   * Who asked: `page` = a web page over the NAA bridge; `library` = the worker's own code
   * (`acquireToken` of `/extension-broker`); `sign-in` = a person's Sign in in an extension page.
   */
  caller: "page" | "library" | "sign-in";
  /** The top-level page's origin (the tab's), or the extension's own origin for `library` / `sign-in`. */
  origin: string;
  /** The origin of the frame that asked: the one its grant matched (equal to `origin` in a top frame). */
  frameOrigin: string;
  /** The app registration the token was issued to. */
  clientId: string;
  /** The scopes the token carries. */
  scopes: string[];
  /** Whose token: the account's home account ID… */
  homeAccountId: string;
  /** …and its username. */
  username: string;
  /** `cache`, or how a new token was obtained: refresh token, hidden window (`prompt=none`), sign-in window. */
  source: "cache" | "refresh_token" | "silent_authorize" | "interactive";
  /** The request's correlation ID, as the IdP's sign-in logs show it for a token obtained anew. */
  correlationId: string;
}

/** Which activity entries to return (all given conditions hold); newest first. */
export interface ActivityQuery {
  /** Matches `origin` or `frameOrigin` exactly. */
  origin?: string;
  /** Matches `homeAccountId` or `username` (case-insensitive). */
  account?: string;
  /** Entries at or after this time (epoch ms). */
  since?: number;
  /** At most this many (the newest). */
  limit?: number;
}
