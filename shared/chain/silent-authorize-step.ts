import { AuthShellError } from "../errors.js";
import { fallThrough, type AcquisitionContext, type AcquisitionStep, type StepOutcome } from "./acquisition-step.js";
import { AuthorizeFlowError, authorizeAndRedeem } from "./authorize-exchange.js";

/** Codes after which only an interactive prompt can help. */
const FALL_THROUGH_CODES = new Set([
  "login_required",
  "interaction_required",
  "consent_required",
  "invalid_grant",
  "timeout",
  "user_cancelled",
]);

/**
 * Step 3: `prompt=none` (+ `login_hint`) through the AuthorizeFlow with `interactive: false`.
 * login_required / interaction_required / consent_required / a flow timeout fall through;
 * token-endpoint trouble (throttled, unavailable) is thrown, never turned into a prompt.
 */
export class SilentAuthorizeStep implements AcquisitionStep {
  readonly name = "silent_authorize" as const;

  async run(context: AcquisitionContext): Promise<StepOutcome> {
    try {
      return { kind: "token", result: await authorizeAndRedeem(context, false) };
    } catch (error) {
      if (error instanceof AuthorizeFlowError) {
        if (FALL_THROUGH_CODES.has(error.error.code)) return fallThrough(error.error.code, error.error);
        throw error.error;
      }
      // Token-endpoint errors: a rejected code may still be fixed by a prompt; outages may not.
      const shellError = AuthShellError.from(error);
      if (FALL_THROUGH_CODES.has(shellError.code) && !shellError.retryable) return fallThrough(shellError.code, shellError);
      throw shellError;
    }
  }
}
