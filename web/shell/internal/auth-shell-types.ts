import type { ShellEvent } from "../../../shared/events.js";
import type { ShellWait } from "./waits.js";

export type { ShellWait };

/** Where tokens come from: the browser extension's broker, or MSAL in this page. */
export type ShellMode = "extension" | "standalone";

export interface AuthShellAccount {
  homeAccountId: string;
  /** The sign-in name (`preferred_username`). */
  username: string;
  name?: string;
  /** `tid` of the ID token. */
  tenantId?: string;
  /** The tenant as a domain (`contoso.com`) where it is known without a Graph call; else undefined. */
  tenantDomain?: string;
}

export interface TokenRequest {
  scopes: string[];
  /** Skip the cache (a refresh token or the broker's network path is used). */
  forceRefresh?: boolean;
  /** A claims request (e.g. from a CAE challenge); bypasses the cache. */
  claims?: string;
}

export interface AccessTokenResult {
  /** The bearer token: send it, never log or display it. */
  accessToken: string;
  expiresOn: Date | null;
  /** The scopes granted. */
  scopes: string[];
  /** "cache" or "network" (standalone MSAL), "extension" (the broker answered). */
  source: "cache" | "network" | "extension";
  fromCache: boolean;
}

/** Roles, groups and overage from the ID token (never a UserInfo call). */
export interface IdTokenClaimsView {
  roles: string[];
  groups: string[];
  /**
   * More groups than fit in the ID token. The shell then asks Microsoft Graph once per session, and
   * `groups` holds Graph's answer when `groupsResolution` is "resolved" (empty before).
   */
  groupsOverage: boolean;
  /** Under overage only: where the Graph lookup stands. */
  groupsResolution?: "pending" | "resolved" | "failed";
  /** When the lookup failed: a sentence saying what happened and what the user can do. */
  groupsError?: string;
  tenantId?: string;
  tenantDomain?: string;
  oid?: string;
  username?: string;
  name?: string;
}

export interface TokenStatus {
  scopes: string[];
  expiresOn?: number;
  refreshOn?: number;
  fromCache: boolean;
  acquiredAt: number;
}

/** A snapshot for a status display. Never contains token values. */
export interface AuthShellStatus {
  mode: ShellMode;
  account: AuthShellAccount | null;
  tokens: TokenStatus[];
  /** When the next proactive refresh runs (standalone; the extension refreshes on its own). */
  nextRefreshAt?: number;
  /** Waits in force (Retry-After, backoff; in extension mode those the broker reported). */
  waits: ShellWait[];
  /** Sign-ins and token requests in flight. */
  pending: number;
  /** Recent events, newest first. */
  events: ShellEvent[];
}

/** `fetch` options plus the scopes of the token to send (default: the configuration's scopes). */
export interface AuthFetchOptions extends Omit<RequestInit, "body"> {
  scopes?: string[];
  body?: string | URLSearchParams | null;
}

export interface AuthShell {
  readonly mode: ShellMode;
  getAccount(): AuthShellAccount | null;
  /** Interactive sign-in: MSAL's popup standalone, the extension's window in extension mode. */
  signIn(options?: { scopes?: string[]; claims?: string }): Promise<AuthShellAccount>;
  signOut(): Promise<void>;
  getToken(request: TokenRequest): Promise<AccessTokenResult>;
  /**
   * `fetch` with the bearer token: Retry-After per host, backoff on 5xx/timeouts, one retry with
   * fresh claims on a CAE challenge. Resolves with the Response (any status but a gated 429/5xx).
   */
  authFetch(input: string | URL, init?: AuthFetchOptions): Promise<Response>;
  claims(): IdTokenClaimsView | null;
  /**
   * The user's groups: the ID token's, or under groups overage Microsoft Graph's (one
   * `getMemberObjects` call per session, shared with the lookup the shell starts by itself; after a
   * failure, a new call). Rejects with an AuthShellError saying what failed.
   */
  resolveGroups(): Promise<string[]>;
  status(): AuthShellStatus;
  /** Called whenever anything in `status()`, the account or the claims changed. Returns unsubscribe. */
  subscribe(listener: () => void): () => void;
  /** A plain-language sentence for an error; waits count down from when the error happened. */
  describeError(error: unknown): string;
}
