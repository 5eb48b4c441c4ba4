/**
 * One NAA bridge request from a page: validated by the shared codec, authorised from the Port's
 * browser-filled sender against the stored grants (re-checked on every request, client IDs and
 * scopes capped), then served by the broker. Every request with a usable requestId gets exactly one
 * well-formed response; throttling and backoff come back at once as TRANSIENT_ERROR with the wait.
 */
import type { TokenBroker } from "../../shared/chain/broker-types.js";
import { AuthShellError } from "../../shared/errors.js";
import { buildInitContext, buildNaaError, buildNaaSuccess, parseNaaRequest, peekRequestId, toTokenRequest } from "../../shared/protocol/naa-codec.js";
import type { EventSink } from "../../shared/ports.js";
import type { ActivityEntry } from "../protocol/views.js";
import { activityEntry } from "../activity/activity-entry.js";
import { checkTokenRequest, grantForSender, type Grant, type SenderFacts } from "./grant-rules.js";

export interface NaaHandlerDeps {
  extensionId: string;
  grants(): Promise<Grant[]>;
  /**
   * The broker and the settings it runs with (the authority answers go out with; the default scopes a
   * grant without scopes is capped to; the client ID a request that names none is served for).
   */
  broker(): Promise<{ broker: TokenBroker; config: { authority: string; defaultScopes: string[]; clientId: string } }>;
  events: EventSink;
  /** Puts each served token on the activity record (token-free; see extension/activity/activity-record.ts). */
  served?(entry: ActivityEntry): void;
  /**
   * Called after a token request that may have changed what the broker refreshes and when: a new
   * token, a background refresh scheduled, or a refresh that failed and is now owed (re-arms the alarm).
   */
  onToken?(broker: TokenBroker): void;
  now?(): number;
}

const SDK_NAME = "resilient-token-broker";

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
export async function isSenderGranted(sender: SenderFacts, deps: Pick<NaaHandlerDeps, "grants" | "extensionId" | "events" | "now">): Promise<boolean> {
  try {
    grantForSender(sender, await deps.grants(), deps.extensionId);
    return true;
  } catch (error) {
    const e = AuthShellError.from(error);
    if (e.code !== "not_granted") {
      deps.events.emit({ at: (deps.now ?? Date.now)(), type: "naa.grants_unreadable", message: `No bridge for a page: the grants could not be read (${e.code})` });
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
  const now = deps.now ?? Date.now;
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
    checkTokenRequest(grant, tokenRequest.clientId ?? "", tokenRequest.scopes, config.defaultScopes);
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
    deps.served?.(activityEntry(result, { caller: "page", origin: topOrigin(sender) ?? origin, frameOrigin: origin, clientId: tokenRequest.clientId || config.clientId }, now()));
    deps.events.emit({
      at: now(),
      type: "naa.token",
      message: `${request.method} for ${origin}: served from ${result.source}`,
      detail: { origin, method: request.method, source: result.source },
    });
    return { requestId, response: buildNaaSuccess(requestId, { ...result, authority: config.authority }, now()) };
  } catch (error) {
    const e = AuthShellError.from(error);
    deps.events.emit({
      at: now(),
      type: "naa.error",
      message: `${request.method} for ${origin} failed: ${e.code}`,
      detail: { origin, method: request.method, code: e.code, ...(e.retryAfterMs !== undefined ? { retryAfterMs: e.retryAfterMs } : {}) },
    });
    return { requestId, response: buildNaaError(requestId, e) };
  }
}
