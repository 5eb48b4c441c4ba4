import type { AccountEntry } from "../cache/cache-entries.js";
import { isFresh, MIN_REFRESH_INTERVAL_MS } from "../cache/lifetimes.js";
import { fallThrough, type AcquisitionContext, type AcquisitionStep, type StepOutcome } from "./acquisition-step.js";
import { forcedRefreshKey } from "./forced-refresh-limit.js";
import { buildTokenResult } from "./token-result.js";

/**
 * The cached access token for the request's account, authority, client and scopes, if any: the plain
 * one by default, or the one bound to a claims challenge (`context.claimsHash`).
 *
 * Only a token that can be served: one whose family still has its ID token. Every answer carries the
 * ID token, and MSAL's nested app rejects one without (`null_or_empty_token`); a cache that lost the
 * ID token record (one record deleted, issue 12) used to serve such answers until the access token
 * expired — every page failing while the broker logged them as served. Now the token is a miss and
 * the refresh brings a new ID token.
 */
export function findCachedAccessToken(context: AcquisitionContext, account: AccountEntry, claimsHash = "") {
  const { cache, authority } = context.services;
  if (!cache.getIdToken(account.homeAccountId, authority.url, context.clientId)) return undefined;
  return cache.findAccessToken({
    homeAccountId: account.homeAccountId,
    authority: authority.url,
    clientId: context.clientId,
    scopes: context.scopes,
    claimsHash,
  });
}

/**
 * Step 1: an unexpired (skew-adjusted) access token whose scopes cover the request. Skipped for
 * forceRefresh and claims challenges. Past `refreshOn` the token is still served, flagged
 * `backgroundRefreshScheduled` (R7).
 */
export class CacheStep implements AcquisitionStep {
  readonly name = "cache" as const;

  async run(context: AcquisitionContext): Promise<StepOutcome> {
    if (context.challengeClaims !== undefined) return this.answeredChallenge(context) ?? fallThrough("claims_challenge");
    if (context.refreshDueOnly) return fallThrough("refresh_due");
    const { account, services } = context;
    if (context.forceRefresh) return this.youngEnoughForForcedRefresh(context) ?? fallThrough("force_refresh");
    if (!account) return fallThrough("no_account");
    const entry = findCachedAccessToken(context, account);
    if (!entry) return fallThrough("cache_miss");
    const now = services.clock.now();
    if (!isFresh(entry, now, services.policy.skewMs)) return fallThrough("expired");
    const result = buildTokenResult(context, entry, account, "cache");
    if (now >= entry.refreshOn) result.backgroundRefreshScheduled = true;
    return { kind: "token", result };
  }

  /**
   * A token issued for exactly these claims less than MIN_REFRESH_INTERVAL_MS ago answers the same
   * challenge again: tabs meeting one CAE challenge one after another (each app finds out on its
   * own) cost one claims-bound request per resource, not one per tab. Older, and the challenge goes
   * to the IdP again — an app that is challenged once more wants a newer token.
   */
  private answeredChallenge(context: AcquisitionContext): StepOutcome | undefined {
    const { account, services } = context;
    if (!account || context.forceRefresh) return undefined;
    const entry = findCachedAccessToken(context, account, context.claimsHash);
    const now = services.clock.now();
    if (!entry || now - entry.cachedAt >= MIN_REFRESH_INTERVAL_MS || !isFresh(entry, now, services.policy.skewMs)) return undefined;
    return { kind: "token", result: buildTokenResult(context, entry, account, "cache") };
  }

  /**
   * A forced refresh beyond `forcedRefreshLimit` gets the token the last forced refresh produced: it
   * is moments old, and a page forcing refreshes in a loop must not turn into a loop of
   * refresh-token grants (Entra answers those with AADSTS50196).
   */
  private youngEnoughForForcedRefresh(context: AcquisitionContext): StepOutcome | undefined {
    const { account, services } = context;
    if (!account) return undefined;
    const last = services.forcedRefreshes.reachedSince(forcedRefreshKey(context, account.homeAccountId));
    if (last === undefined) return undefined;
    const now = services.clock.now();
    const entry = findCachedAccessToken(context, account);
    if (!entry || entry.cachedAt < last || !isFresh(entry, now, services.policy.skewMs)) return undefined;
    services.emit("chain.forced_refresh_limited", `Forced refresh answered with the token of one ${Math.round((now - last) / 1000)} s ago`, {
      correlationId: context.correlationId,
      limit: services.policy.forcedRefreshLimit.count,
    });
    return { kind: "token", result: buildTokenResult(context, entry, account, "cache") };
  }
}
