import { AuthShellError } from "../errors.js";
import { fallThrough, type AcquisitionContext, type AcquisitionStep, type StepOutcome } from "./acquisition-step.js";
import { AuthorizeFlowError, authorizeAndRedeem } from "./authorize-exchange.js";

/** The cool-down key for prompts of one client. */
export function cooldownKey(clientId: string): string {
  return `prompt:${clientId}`;
}

/**
 * Step 4: an interactive authorize (no `prompt` parameter: the IdP reuses its session or asks;
 * never `prompt=login` / `prompt=consent`), only when the caller allows interaction. A cancelled
 * or failed prompt starts the interaction cool-down, so prompts do not reopen in a loop.
 */
export class InteractiveStep implements AcquisitionStep {
  readonly name = "interactive" as const;

  async run(context: AcquisitionContext): Promise<StepOutcome> {
    if (!context.allowInteraction) return fallThrough("interaction_not_allowed");
    const { cooldown } = context.services;
    const key = cooldownKey(context.clientId);
    cooldown.check(key);
    try {
      const result = await authorizeAndRedeem(context, true);
      await cooldown.recordSuccess(key);
      return { kind: "token", result };
    } catch (error) {
      const shellError = error instanceof AuthorizeFlowError ? error.error : AuthShellError.from(error);
      if (error instanceof AuthorizeFlowError || !shellError.retryable) await cooldown.recordFailure(key);
      throw shellError;
    }
  }
}
