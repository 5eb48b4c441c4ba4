import type { AccountEntry } from "../cache/cache-entries.js";
import { isFresh } from "../cache/lifetimes.js";
import { bypassesCache, fallThrough, type AcquisitionContext, type AcquisitionStep, type StepOutcome } from "./acquisition-step.js";
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
    if (bypassesCache(context)) return fallThrough(context.challengeClaims ? "claims_challenge" : "force_refresh");
    const { account, services } = context;
    if (!account) return fallThrough("no_account");
    const entry = findCachedAccessToken(context, account);
    if (!entry) return fallThrough("cache_miss");
    const now = services.clock.now();
    if (!isFresh(entry, now, services.policy.skewMs)) return fallThrough("expired");
    const result = buildTokenResult(context, entry, account, "cache");
    if (now >= entry.refreshOn) result.backgroundRefreshScheduled = true;
    return { kind: "token", result };
  }
}
