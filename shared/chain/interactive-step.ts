import { AuthShellError } from "../errors.js";
import { fallThrough, type AcquisitionContext, type AcquisitionStep, type StepOutcome } from "./acquisition-step.js";
import { AuthorizeFlowError, authorizeAndRedeem } from "./authorize-exchange.js";
import type { TokenResult } from "./broker-types.js";
import { CacheStep } from "./cache-step.js";
import type { InteractionOutcome } from "./interaction-queue.js";
import { RefreshTokenStep } from "./refresh-token-step.js";

/** The cool-down key for prompts of one client. */
export function cooldownKey(clientId: string): string {
  return `prompt:${clientId}`;
}

/**
 * Step 4: an interactive authorize (no `prompt` parameter: the IdP reuses its session or asks;
 * `prompt=select_account` when a person adds an account; never `prompt=login` / `prompt=consent`),
 * only when the caller allows interaction.
 *
 * One window at a time (InteractionQueue): a request that arrives while another request's window
 * is open waits for it and is then served from that sign-in — from the cache, or silently with the
 * new refresh token for a second resource — or, when that window was closed or failed, told so.
 *
 * A cancelled or failed prompt starts the interaction cool-down, so an app looping
 * `acquireTokenPopup` cannot reopen windows; a person's own click (`userInitiated`) is not a loop
 * and always opens a sign-in window for that person. A window the user closed stays closed for an
 * app's own requests (`appInitiated`: no click behind them) after the cool-down too, until a person
 * opens it or a sign-in succeeds.
 */
export class InteractiveStep implements AcquisitionStep {
  readonly name = "interactive" as const;

  async run(context: AcquisitionContext): Promise<StepOutcome> {
    if (!context.allowInteraction) return fallThrough("interaction_not_allowed");
    const { interactions } = context.services;
    const inProgress = interactions.inProgress();
    // Someone adding an account chooses it themselves: another request's sign-in does not answer.
    if (inProgress && !context.selectAccount) {
      const served = await this.fromOtherSignIn(context, await inProgress);
      if (served) return served;
    }
    return { kind: "token", result: await interactions.run(() => this.prompt(context)) };
  }

  private async prompt(context: AcquisitionContext): Promise<TokenResult> {
    const { cooldown, silentBackoff } = context.services;
    const key = cooldownKey(context.clientId);
    if (!context.userInitiated) cooldown.check(key, { appInitiated: context.appInitiated });
    try {
      const result = await authorizeAndRedeem(context, true);
      await cooldown.recordSuccess(key);
      // A new session: remembered "no session" answers of the silent step no longer hold.
      await silentBackoff.clearAll();
      return result;
    } catch (error) {
      const shellError = error instanceof AuthorizeFlowError ? error.error : AuthShellError.from(error);
      if (error instanceof AuthorizeFlowError || !shellError.retryable) await cooldown.recordFailure(key, { declined: shellError.code === "user_cancelled" });
      throw shellError;
    }
  }

  /** After another request's sign-in: this request's token from it, or why there is none. */
  private async fromOtherSignIn(context: AcquisitionContext, outcome: InteractionOutcome): Promise<StepOutcome | undefined> {
    const { services } = context;
    if ("error" in outcome) {
      const { code } = outcome.error;
      const what = code === "user_cancelled" ? "was closed before signing in" : `failed (${code})`;
      throw new AuthShellError(code, `The sign-in window opened for another request ${what}; no second window was opened`, {
        retryable: outcome.error.retryable,
        ...(outcome.error.retryAfterMs !== undefined ? { retryAfterMs: outcome.error.retryAfterMs } : {}),
      });
    }
    const signedIn = services.cache.getAccount(outcome.homeAccountId);
    if (!signedIn) return undefined;
    const wanted = context.account?.homeAccountId;
    const hint = context.loginHint?.toLowerCase();
    if (wanted && wanted !== signedIn.homeAccountId) return undefined;
    if (!wanted && hint && hint !== signedIn.username.toLowerCase()) return undefined;
    context.account = signedIn;
    services.emit("chain.served_from_other_sign_in", "Served from the sign-in of a request that waited for the same window", {
      correlationId: context.correlationId,
    });
    for (const step of [new CacheStep(), new RefreshTokenStep()]) {
      const outcome = await step.run(context);
      if (outcome.kind === "token") return outcome;
    }
    return undefined;
  }
}
