import type { AccountEntry } from "../cache/cache-entries.js";
import { claimsHash } from "../cache/cache-key.js";
import { resourceScopes } from "../cache/scopes.js";
import { hasAccessTokenClaims } from "../cae/claims-request.js";
import { AuthShellError } from "../errors.js";
import { randomUuid } from "../oidc/pkce.js";
import type { AcquisitionContext, ChainServices } from "./acquisition-step.js";
import type { TokenRequest } from "./broker-types.js";

/**
 * The claims challenge in a request, or undefined. Only an `access_token` member is a challenge
 * (MSAL adds id_token-only claims to every request), and an `access_token` member holding nothing
 * but `xms_cc` (an app announcing its client capabilities) is not one either.
 */
export function challengeClaimsOf(claims: string | undefined): string | undefined {
  if (!claims || !hasAccessTokenClaims(claims)) return undefined;
  try {
    const parsed = JSON.parse(claims) as { access_token?: unknown };
    const member = parsed.access_token;
    if (typeof member === "object" && member !== null && Object.keys(member).every((k) => k === "xms_cc")) {
      return undefined;
    }
  } catch {
    return undefined;
  }
  return claims;
}

/**
 * Which cached account a request means: the one it names (by homeAccountId, else by login hint),
 * else the active account. A request that names an account the cache does not hold gets no
 * account — never the active one's tokens — and goes on to the IdP with its hint. An "add another
 * account" request (`selectAccount`) means no cached account at all: the person picks one.
 */
function resolveAccount(services: ChainServices, request: TokenRequest): AccountEntry | undefined {
  const { cache } = services;
  if (request.selectAccount) return undefined;
  if (request.homeAccountId) {
    const named = cache.getAccount(request.homeAccountId);
    if (named || !request.loginHint) return named;
  }
  if (request.loginHint) {
    const hint = request.loginHint.toLowerCase();
    return cache.getAccounts().find((a) => a.username.toLowerCase() === hint);
  }
  return cache.getActiveAccount();
}

export function createContext(
  services: ChainServices,
  request: TokenRequest,
  options: { refreshDueOnly?: boolean } = {},
): AcquisitionContext {
  if (!Array.isArray(request.scopes)) throw new AuthShellError("invalid_request", "scopes must be an array");
  const scopes = resourceScopes(request.scopes).length > 0 ? request.scopes : [...request.scopes, ...services.config.defaultScopes];
  if (resourceScopes(scopes).length === 0) throw new AuthShellError("invalid_request", "No resource scope requested");
  const challengeClaims = challengeClaimsOf(request.claims);
  const context: AcquisitionContext = {
    services,
    clientId: request.clientId ?? services.config.clientId,
    scopes,
    claimsHash: claimsHash(challengeClaims),
    forceRefresh: request.forceRefresh === true,
    refreshDueOnly: options.refreshDueOnly === true,
    allowInteraction: request.allowInteraction === true,
    userInitiated: request.userInitiated === true,
    appInitiated: request.appInitiated === true && request.userInitiated !== true,
    selectAccount: request.selectAccount === true,
    reauthenticate: request.reauthenticate === true,
    correlationId: request.correlationId || randomUuid(services.random),
    startedAt: services.clock.now(),
  };
  if (challengeClaims !== undefined) context.challengeClaims = challengeClaims;
  if (request.loginHint) context.loginHint = request.loginHint;
  const account = resolveAccount(services, request);
  if (account) context.account = account;
  return context;
}

/** Callers with equal keys share one in-flight acquisition. */
export function singleFlightKey(context: AcquisitionContext): string {
  const who = context.account?.homeAccountId ?? `hint:${context.loginHint ?? ""}`;
  return [
    context.clientId.toLowerCase(),
    who,
    resourceScopes(context.scopes).join(" "),
    context.claimsHash,
    context.forceRefresh ? "force" : "",
    context.refreshDueOnly ? "due" : "",
    context.allowInteraction ? "interactive" : "silent",
    context.selectAccount ? "select" : "",
    context.reauthenticate ? "again" : "",
  ].join("|");
}
