/**
 * The public types of `resilient-token-broker/extension-broker`. No `chrome.*` type appears here, so
 * a consumer's declarations compile without @types/chrome.
 */
import type { AccountInfo, TokenResult } from "../../shared/chain/broker-types.js";
import type { ExtensionEvent, ExtensionEventType } from "../../shared/events.js";
import type { ActivityEntry, ActivityQuery, Grant, ScopeQuestionView, StatusView } from "../protocol/views.js";
import type { BudgetFlag, BudgetLimits } from "../../shared/resilience/origin-budget.js";
import type { ScopeAnswer, ScopeQuestion } from "./scope-decisions.js";

export type { AccountInfo, ActivityEntry, ActivityQuery, BudgetFlag, BudgetLimits, Grant, ScopeQuestionView, ScopeAnswer, ScopeQuestion, StatusView, TokenResult };

/** A token-free event of the broker, as `subscribe()` delivers it; `type` is one of a closed list. */
export type BrokerEvent = ExtensionEvent;
export type BrokerEventType = ExtensionEventType;

/** Which app registration the broker signs in with. */
export interface ExtensionBrokerSettings {
  /** e.g. `https://login.microsoftonline.com/<tenant-id>` (https only). */
  authority: string;
  /** The app registration's client ID (a public client / SPA registration). */
  clientId: string;
  /** Scopes `signIn()` asks for, and the cap for pages without their own grant scopes. */
  scopes: string[];
  /**
   * Default `identity.getRedirectURL()`: `https://<extension-id>.chromiumapp.org/` on Chrome and Edge,
   * `https://<SHA-1 hex of the Gecko add-on ID>.extensions.allizom.org/` on Firefox.
   */
  redirectUri?: string;
  /** Sent as `xms_cc`; default `["cp1"]` (the broker handles CAE claims challenges). */
  clientCapabilities?: string[];
}

export interface ExtensionBrokerOptions {
  /** Library identification sent as x-client-SKU / x-client-VER; default the package's own. */
  clientSku?: { name: string; version: string };
  /**
   * The activity record's bound: default 30 days and 10,000 entries, pruned on write (see
   * `ExtensionBroker.activity`). `false` keeps no record — for an extension that keeps its own.
   */
  activity?: { maxDays?: number; maxEntries?: number } | false;
}

/**
 * Either fixed settings, or `settings()` read lazily (e.g. from chrome.storage) — then call
 * `reload()` after changing them.
 */
export type ExtensionBrokerConfig = ExtensionBrokerOptions &
  (ExtensionBrokerSettings | { settings: () => Promise<ExtensionBrokerSettings> });

export interface AcquireTokenOptions {
  scopes: string[];
  /** Whose token; default the active account (see `setActiveAccount`). */
  account?: Pick<AccountInfo, "homeAccountId">;
  /** A claims challenge (CAE / Conditional Access), as the resource's WWW-Authenticate gave it. */
  claims?: string;
  /** Skip the cached access token (the refresh token is still used). */
  forceRefresh?: boolean;
  /** May open the sign-in window when nothing silent works; default false. */
  interactive?: boolean;
  loginHint?: string;
  correlationId?: string;
}

export interface SignInOptions {
  loginHint?: string;
  /**
   * "Add another account": the sign-in window opens with `prompt=select_account`, so the IdP lets
   * the person pick or enter an account instead of reusing its session. The account signed in
   * becomes the active one either way.
   */
  selectAccount?: boolean;
  /**
   * "Sign in again" for the account named by `loginHint`, whose session ended: the sign-in window
   * opens for it at once (with `login_hint`), never answered by its cached token or refresh token.
   */
  reauthenticate?: boolean;
  /** Default the configured `scopes`. */
  scopes?: string[];
}

export type BrokerEventListener = (event: BrokerEvent) => void;

export interface ExposeToPagesOptions {
  /**
   * The web origins that may use the Nested App Auth bridge: a list, or a function read on every
   * request (so revoking takes effect at once). The bridge content scripts must be injected into
   * those origins (see README "Use the broker in your own extension").
   */
  grants: readonly Grant[] | (() => Promise<readonly Grant[]>);
  /**
   * Per-origin budgets (defaults: 50 asks per second, 12 distinct scope sets per minute, 300 forced
   * refreshes per minute). An ask over one is answered TRANSIENT_ERROR (`over_budget`) with its wait
   * and the site is listed by `PageServer.overBudget()`. A function is read on every ask (so a changed
   * setting applies at once): it must answer from memory, not from storage.
   */
  budgets?: Partial<BudgetLimits> | (() => Partial<BudgetLimits>);
  /**
   * When given, a granted site's ask for scopes outside its grant is held as a question for the person
   * (`PageServer.scopeQuestions()` / `answerScopeQuestion()`) instead of being refused: "once" serves
   * that ask, "always" calls `extendGrant` first, "deny" and no answer within `timeoutMs` (default
   * 60 s) answer the page `scope_declined` (msal-browser: user_cancelled) with a sentence.
   */
  scopeDecisions?: {
    timeoutMs?: number | (() => Promise<number>);
    extendGrant(question: ScopeQuestion): Promise<void>;
  };
}

/** What `exposeToPages` returns: the page side's state, for the extension's own pages. */
export interface PageServer {
  /** Sites over one of their budgets now or within the last minute, with their numbers. */
  overBudget(): BudgetFlag[];
  /** Forgets a site's budgets and flag (call when its grant is removed). */
  forgetSite(origin: string): void;
  /** The open scope questions, oldest first (empty without `scopeDecisions`). */
  scopeQuestions(): ScopeQuestionView[];
  /** The person's answer to an open question; false when it is no longer open. */
  answerScopeQuestion(id: string, answer: ScopeAnswer): boolean;
  /** Called whenever a question opens or closes; returns the unsubscribe function. */
  onScopeQuestionsChange(listener: () => void): () => void;
}

export interface ExtensionBroker {
  /** A token from the encrypted cache, the refresh token, `prompt=none`, or (if `interactive`) a sign-in window. Throws AuthShellError. */
  acquireToken(options: AcquireTokenOptions): Promise<TokenResult>;
  getAccounts(): Promise<AccountInfo[]>;
  /** The account requests that name none are served for (pages' GetInitContext reports it); undefined when signed out. */
  getActiveAccount(): Promise<AccountInfo | undefined>;
  /** Makes a signed-in account the active one (persisted across worker restarts); `no_account` if it is not signed in. */
  setActiveAccount(account: Pick<AccountInfo, "homeAccountId">): Promise<void>;
  /** Opens the sign-in window (launchWebAuthFlow) and returns the signed-in account, which becomes the active one. */
  signIn(options?: SignInOptions): Promise<AccountInfo>;
  /**
   * Clears the account's (default: the active account's) cached tokens and ends the IdP session,
   * best effort. When it was active, the latest signed-in remaining account becomes active.
   */
  signOut(account?: Pick<AccountInfo, "homeAccountId">): Promise<{ logoutUrl: string }>;
  /** Accounts, cached tokens (no values), Retry-After gates, breakers and the next refresh alarm. */
  status(): Promise<StatusView>;
  /**
   * The activity record: every token this broker served — to a page over the bridge (`caller: "page"`,
   * with the tab's and the asking frame's origin), to this worker's code (`"library"`) or to `signIn`
   * (`"sign-in"`) — with time, client ID, scopes, account and how it was obtained (`source`), newest
   * first. Never a token value. Kept in the encrypted store within the bound (`activity` option).
   */
  activity(query?: ActivityQuery): Promise<ActivityEntry[]>;
  /** When each origin (the asking frame's) was last served a token, within the record's bound. */
  lastUse(): Promise<Record<string, number>>;
  /** Token-free events (token served, refresh, throttling, errors); returns the unsubscribe function. */
  subscribe(listener: BrokerEventListener): () => void;
  /** Forgets the built broker: the next call reads `settings()` again (the encrypted cache stays). */
  reload(): void;
  /** Serves NAA pages over a chrome.runtime Port, as our extension does; call at the top level too. */
  exposeToPages(options: ExposeToPagesOptions): PageServer;
}
