import type { AccountEntry } from "../cache/cache-entries.js";
import { isFresh } from "../cache/lifetimes.js";
import { fallThrough, type AcquisitionContext, type AcquisitionStep, type StepOutcome } from "./acquisition-step.js";
import { buildTokenResult } from "./token-result.js";

/** The cached access token for the request's account, authority, client and scopes (no claims), if any. */
export function findCachedAccessToken(context: AcquisitionContext, account: AccountEntry) {
  return context.services.cache.findAccessToken({
    homeAccountId: account.homeAccountId,
    authority: context.services.authority.url,
    clientId: context.clientId,
    scopes: context.scopes,
    claimsHash: "",
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
    if (context.challengeClaims !== undefined) return fallThrough("claims_challenge");
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
   * A forced refresh while the cached token is younger than `minForcedRefreshAgeMs` gets that token:
   * it was issued moments ago, and a page forcing refreshes in a loop must not turn into a loop of
   * refresh-token grants (Entra answers those with AADSTS50196).
   */
  private youngEnoughForForcedRefresh(context: AcquisitionContext): StepOutcome | undefined {
    const { account, services } = context;
    const minAgeMs = services.policy.minForcedRefreshAgeMs;
    if (!account || !(minAgeMs > 0)) return undefined;
    const entry = findCachedAccessToken(context, account);
    const now = services.clock.now();
    if (!entry || now - entry.cachedAt >= minAgeMs || !isFresh(entry, now, services.policy.skewMs)) return undefined;
    services.emit("forced_refresh_served_young_token", "Forced refresh answered with a token issued moments ago", {
      correlationId: context.correlationId,
      ageMs: now - entry.cachedAt,
    });
    return { kind: "token", result: buildTokenResult(context, entry, account, "cache") };
  }
}
