import { findCachedAccessToken } from "./cache-step.js";
import { familyKey } from "../cache/cache-key.js";
import { isFresh } from "../cache/lifetimes.js";
import { withClientCapabilities } from "../cae/claims-request.js";
import { AuthShellError } from "../errors.js";
import { assertTokenEndpointOpen } from "./authorize-exchange.js";
import { fallThrough, requestMode, type AcquisitionContext, type AcquisitionStep, type StepOutcome } from "./acquisition-step.js";
import { storeTokenResponse } from "./store-token-response.js";
import { buildTokenResult } from "./token-result.js";

/** Errors after which the next step (silent authorize) may still succeed. */
const FALL_THROUGH_CODES = new Set(["invalid_grant", "interaction_required", "login_required", "consent_required"]);

/**
 * Step 2: redeem the account's refresh token (R4). Runs under a lock per refresh-token family
 * (account + authority + client), re-reading the cache inside the lock (check → lock → re-check),
 * so a refresh token is never redeemed twice — not even by callers with different scopes. The
 * rotated refresh token is stored in the same batch as the new access token. While the token
 * endpoint's gate is closed or its breaker open, it fails fast without queueing on the lock.
 */
export class RefreshTokenStep implements AcquisitionStep {
  readonly name = "refresh_token" as const;

  async run(context: AcquisitionContext): Promise<StepOutcome> {
    const { account, services } = context;
    if (!account) return fallThrough("no_account");
    const authority = services.authority.url;
    const lockName = `rt:${familyKey(account.homeAccountId, authority, context.clientId)}`;
    // Inside the token endpoint's backoff window (or a Retry-After), fail fast instead of queueing on
    // the lock behind a caller that sleeps through that window: nobody waits out a backoff.
    assertTokenEndpointOpen(context);
    return services.lock.withLock(lockName, async () => {
      const refreshToken = await services.cache.reloadFamily(account.homeAccountId, authority, context.clientId);
      const recheck = this.recheck(context);
      if (recheck) return recheck;
      if (!refreshToken) return fallThrough("no_refresh_token");

      const requestedAt = services.clock.now();
      services.emit("refresh.redeem", "Redeeming the refresh token", { correlationId: context.correlationId });
      try {
        const response = await services.tokenClient(context.clientId, requestMode(context)).redeemRefreshToken({
          refreshToken: refreshToken.secret,
          scopes: context.scopes,
          claims: withClientCapabilities(context.challengeClaims, services.config.clientCapabilities) || undefined,
          correlationId: context.correlationId,
        });
        const stored = await storeTokenResponse(context, response, requestedAt);
        // No ID token in the answer and none cached (its record was lost): the page cannot use this
        // answer, and refreshing again would not change that. The code flow always brings one.
        if (!services.cache.getIdToken(stored.account.homeAccountId, authority, context.clientId)) return fallThrough("no_id_token");
        return { kind: "token", result: buildTokenResult(context, stored.accessToken, stored.account, "refresh_token") };
      } catch (error) {
        const shellError = AuthShellError.from(error);
        if (!FALL_THROUGH_CODES.has(shellError.code)) throw shellError;
        if (shellError.code === "invalid_grant") {
          // A dead refresh token must never be sent again.
          await services.cache.removeRefreshToken(account.homeAccountId, authority, context.clientId);
        }
        return fallThrough(shellError.code, shellError);
      }
    });
  }

  /** A token another caller obtained while this one waited for the lock. */
  private recheck(context: AcquisitionContext): StepOutcome | undefined {
    const { account, services } = context;
    if (!account) return undefined;
    const entry = findCachedAccessToken(context, account, context.claimsHash);
    const now = services.clock.now();
    if (!entry || !isFresh(entry, now, services.policy.skewMs)) return undefined;
    const bypass = context.forceRefresh || context.challengeClaims !== undefined;
    if (bypass && entry.cachedAt < context.startedAt) return undefined;
    if (context.refreshDueOnly && now >= entry.refreshOn) return undefined;
    return { kind: "token", result: buildTokenResult(context, entry, account, "cache") };
  }
}
