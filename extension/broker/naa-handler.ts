/**
 * One NAA bridge request from a page: validated by the shared codec, authorised from the Port's
 * browser-filled sender against the stored grants (re-checked on every request, client IDs and
 * scopes capped), then served by the broker. Every request with a usable requestId gets exactly one
 * well-formed response; throttling and backoff come back at once as TRANSIENT_ERROR with the wait.
 */
import { resourceScopes } from "../../shared/cache/scopes.js";
import type { TokenBroker } from "../../shared/chain/broker-types.js";
import { AuthShellError } from "../../shared/errors.js";
import { buildInitContext, buildNaaError, buildNaaSuccess, parseNaaRequest, peekRequestId, toTokenRequest } from "../../shared/protocol/naa-codec.js";
import type { ActivityEntry } from "../protocol/views.js";
import { activityEntry } from "../activity/activity-entry.js";
import type { OriginBudgets } from "../../shared/resilience/origin-budget.js";
import { checkClientId, grantForSender, scopesOutsideGrant, type Grant, type SenderFacts } from "./grant-rules.js";
import { OPEN_QUESTIONS_PER_SITE, type ScopeDecisions, type ScopeQuestion } from "./scope-decisions.js";
import { clockedEmitter, type Emit, type EventSink, type ExtensionEventType } from "../../shared/events.js";
import type { Clock } from "../../shared/ports.js";

export interface NaaHandlerDeps {
  extensionId: string;
  grants(): Promise<Grant[]>;
  /**
   * The broker and the settings it runs with (the authority answers go out with; the default scopes a
   * grant without scopes is capped to; the client ID a request that names none is served for).
   */
  broker(): Promise<{ broker: TokenBroker; config: { authority: string; defaultScopes: string[]; clientId: string } }>;
  events: EventSink<ExtensionEventType>;
  clock: Clock;
  /** Puts each served token on the activity record (token-free; see extension/activity/activity-record.ts). */
  served?(entry: ActivityEntry): void;
  /**
   * Called after a token request that may have changed what the broker refreshes and when: a new
   * token, a background refresh scheduled, or a refresh that failed and is now owed (re-arms the alarm).
   */
  onToken?(broker: TokenBroker): void;
  /** Per-origin budgets (asks per second, scope sets per minute, forced refreshes); none: unlimited. */
  budgets?: OriginBudgets;
  /** Scopes outside a grant become the person's decision; none: they are refused (`scope_not_allowed`). */
  scopeDecisions?: ScopeDecisionDeps;
}

const SDK_NAME = "resilient-token-broker";

export interface ScopeDecisionDeps {
  decisions: ScopeDecisions;
  /** How long an ask waits for the person's answer (read per ask: a changed setting applies at once). */
  timeoutMs(): Promise<number>;
  /** "Always allow": adds the scopes to the site's grant before the ask is served. */
  extendGrant(question: ScopeQuestion): Promise<void>;
}

export interface NaaAnswer {
  requestId: string;
  response: string;
}

/** What the relay saw of the request beside its JSON. */
export interface RelayFacts {
  /** The page had transient user activation when the relay received the request. */
  userActivated: boolean;
}

/**
 * The relay's "is my frame's origin granted?" (where match patterns carry no port), decided like every
 * request from the Port's browser-filled sender; a grant list that cannot be read answers no.
 */
export async function isSenderGranted(sender: SenderFacts, deps: Pick<NaaHandlerDeps, "grants" | "extensionId" | "events" | "clock">): Promise<boolean> {
  try {
    grantForSender(sender, await deps.grants(), deps.extensionId);
    return true;
  } catch (error) {
    const e = AuthShellError.from(error);
    if (e.code !== "not_granted") {
      clockedEmitter(deps.clock, deps.events)("naa.grants_unreadable", `No bridge for a page: the grants could not be read (${e.code})`);
    }
    return false;
  }
}

/** The tab's top-level origin, when the browser tells (it does for a tab whose site the extension may access). */
function topOrigin(sender: SenderFacts): string | undefined {
  if (!sender.tab?.url) return undefined;
  try {
    return new URL(sender.tab.url).origin;
  } catch {
    return undefined;
  }
}

export async function handleNaaRequest(
  json: unknown,
  sender: SenderFacts,
  deps: NaaHandlerDeps,
  relay: RelayFacts = { userActivated: false },
): Promise<NaaAnswer | undefined> {
  if (typeof json !== "string") return undefined;
  const requestId = peekRequestId(json);
  if (!requestId) return undefined; // Nothing to answer to.
  const emit = clockedEmitter(deps.clock, deps.events);
  const request = parseNaaRequest(json);
  if (request instanceof AuthShellError) return { requestId, response: buildNaaError(requestId, request) };
  const origin = sender.origin ?? "?";
  try {
    const grant = grantForSender(sender, await deps.grants(), deps.extensionId);
    const { broker, config } = await deps.broker();
    if (request.method === "GetInitContext") {
      // MSAL boots with the active account: its requests then name that one (platformBrokerId).
      const account = await broker.getActiveAccount();
      const response = buildInitContext(requestId, {
        sdkName: SDK_NAME,
        sdkVersion: "1",
        ...(account ? { account: { homeAccountId: account.homeAccountId, environment: account.environment, tenantId: account.tenantId } } : {}),
      });
      return { requestId, response };
    }
    const tokenRequest = toTokenRequest(request);
    if (tokenRequest instanceof AuthShellError) throw tokenRequest;
    // A popup asked for right after a person's click is that person's request, not an app's loop;
    // one without that click is the app's own, and never reopens a window the user closed.
    if (request.method === "GetTokenPopup") {
      if (relay.userActivated) tokenRequest.userInitiated = true;
      else tokenRequest.appInitiated = true;
    }
    // Counted before the grant's scope check: a page looping through refused scopes is slowed too.
    checkBudget(deps.budgets, origin, tokenRequest.scopes, tokenRequest.forceRefresh === true);
    checkClientId(grant, tokenRequest.clientId ?? "");
    const outside = scopesOutsideGrant(grant, tokenRequest.scopes, config.defaultScopes);
    if (outside.length > 0) {
      await decideScopes(deps, { origin, clientId: tokenRequest.clientId ?? "", scopes: outside }, emit);
      // The site may have been removed while the question was open: its grant is checked again.
      grantForSender(sender, await deps.grants(), deps.extensionId);
    }
    let result;
    try {
      result = await broker.acquireToken(tokenRequest);
    } catch (error) {
      // A failed refresh is owed and retried by the alarm: arm it now, not at the next page request.
      if (AuthShellError.from(error).retryable) deps.onToken?.(broker);
      throw error;
    }
    // A plain cache hit changes no refresh time; a forced refresh answered from the cache failed
    // at the IdP (or met its backoff) and is owed.
    if (result.source !== "cache" || result.backgroundRefreshScheduled || tokenRequest.forceRefresh) deps.onToken?.(broker);
    deps.served?.(activityEntry(result, { caller: "page", origin: topOrigin(sender) ?? origin, frameOrigin: origin, clientId: tokenRequest.clientId || config.clientId }, deps.clock.now()));
    emit("naa.token", `${request.method} for ${origin}: served from ${result.source}`, { origin, method: request.method, source: result.source });
    return { requestId, response: buildNaaSuccess(requestId, { ...result, authority: config.authority }, deps.clock.now()) };
  } catch (error) {
    const e = AuthShellError.from(error);
    emit("naa.error", `${request.method} for ${origin} failed: ${e.code}`, {
      origin,
      method: request.method,
      code: e.code,
      ...(e.retryAfterMs !== undefined ? { retryAfterMs: e.retryAfterMs } : {}),
    });
    return { requestId, response: buildNaaError(requestId, e) };
  }
}

/** Throws a retryable `over_budget` with the wait when this ask takes the origin over a budget. */
function checkBudget(budgets: OriginBudgets | undefined, origin: string, scopes: readonly string[], forceRefresh: boolean): void {
  const verdict = budgets?.ask(origin, { scopeKey: resourceScopes(scopes).join(" "), forceRefresh });
  if (!verdict || verdict.ok) return;
  const { budget, count, limit } = verdict.flag;
  throw new AuthShellError("over_budget", `This site went over its budget (${budget}: ${count} asks, limit ${limit}); the broker serves it again after the wait`, {
    retryable: true,
    retryAfterMs: verdict.retryAfterMs,
  });
}

/** Holds an ask for scopes outside the grant until the person decides; throws unless they allowed it. */
async function decideScopes(deps: NaaHandlerDeps, question: ScopeQuestion, emit: Emit<ExtensionEventType>): Promise<void> {
  const scopes = question.scopes.join(" ");
  const port = deps.scopeDecisions;
  if (!port) throw new AuthShellError("scope_not_allowed", `This site may not request the scope(s): ${scopes}`);
  const timeoutMs = await port.timeoutMs();
  const outcome = await port.decisions.ask(question, timeoutMs);
  emit("naa.scope_decision", `${question.origin} asked for ${scopes} (client ${question.clientId}): ${outcome}`, {
    origin: question.origin,
    clientId: question.clientId,
    scopes,
    code: outcome,
  });
  if (outcome === "once") return;
  if (outcome === "always") return port.extendGrant(question);
  const why =
    outcome === "deny"
      ? `The person using this browser declined this site's request for ${scopes}`
      : outcome === "unanswered"
        ? `Nobody answered within ${Math.round(timeoutMs / 1000)} s whether this site may use ${scopes}; ask again when the person can answer in the extension's popup`
        : `This site already has ${OPEN_QUESTIONS_PER_SITE} permission questions waiting; ask again after they are answered`;
  throw new AuthShellError("scope_declined", why);
}
