import { resourceScopes } from "../cache/scopes.js";
import { AuthShellError, isErrorCode, type ErrorCode } from "../errors.js";
import type { SilentOutcomeKind } from "../resilience/silent-authorize-backoff.js";
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

/** Answers that asking again will not change: the IdP has no usable session for this user. */
const NO_SESSION_CODES = new Set(["login_required", "interaction_required", "consent_required", "invalid_grant", "user_cancelled"]);

/**
 * The backoff keys of a request: one per client and user (a session is per user, not per resource),
 * and one that adds the resource scopes, for consent (which is per resource).
 */
interface BackoffKeys {
  user: string;
  resource: string;
}

function backoffKeys(context: AcquisitionContext): BackoffKeys {
  const who = context.account?.homeAccountId ?? `hint:${(context.loginHint ?? "").toLowerCase()}`;
  const user = `${context.clientId.toLowerCase()}|${who}`;
  return { user, resource: `${user}|${resourceScopes(context.scopes).join(" ")}` };
}

/**
 * Step 3: `prompt=none` (+ `login_hint`) through the AuthorizeFlow with `interactive: false`.
 * login_required / interaction_required / consent_required / a flow timeout fall through;
 * token-endpoint trouble (throttled, unavailable) is thrown, never turned into a prompt.
 * Failed and "no session" answers are remembered (SilentAuthorizeBackoff): while one holds, the step
 * sends nothing and answers at once — falling through to a prompt, or with the wait. A 429 the
 * AuthorizeFlow learnt of closes the authorize endpoint's Retry-After gate: while it holds, the step
 * throws `throttled` with its wait and never falls through to a window.
 */
export class SilentAuthorizeStep implements AcquisitionStep {
  readonly name = "silent_authorize" as const;

  async run(context: AcquisitionContext): Promise<StepOutcome> {
    // Keyed by who asked, before the attempt: a success sets context.account, which changes the key.
    const keys = backoffKeys(context);
    // A 429's Retry-After on /authorize outlasts the backoff's first steps: callers are told its wait.
    context.services.gate.check(context.services.authority.authorizeGateKey);
    const paused = this.paused(context, keys);
    if (paused) return paused;
    try {
      const result = await authorizeAndRedeem(context, false);
      await this.remember(context, keys, undefined);
      return { kind: "token", result };
    } catch (error) {
      const flowError = error instanceof AuthorizeFlowError;
      const shellError = flowError ? error.error : AuthShellError.from(error);
      // Token-endpoint errors (after a code was issued) are the gate's and breaker's business.
      const waitMs = flowError ? await this.remember(context, keys, shellError) : undefined;
      if (flowError && FALL_THROUGH_CODES.has(shellError.code)) return fallThrough(shellError.code, shellError);
      // The caller that met the failure is told the wait too, not only the ones held back after it.
      if (flowError && waitMs !== undefined && shellError.retryAfterMs === undefined) {
        throw new AuthShellError(shellError.code, shellError.message, { retryable: true, retryAfterMs: waitMs, cause: shellError });
      }
      // A rejected code may still be fixed by a prompt; outages may not.
      if (!flowError && FALL_THROUGH_CODES.has(shellError.code) && !shellError.retryable) return fallThrough(shellError.code, shellError);
      throw shellError;
    }
  }

  /** While a remembered answer holds: fall through (no session, or a prompt may help) or throw the wait. */
  private paused(context: AcquisitionContext, keys: BackoffKeys): StepOutcome | undefined {
    const { silentBackoff, emit } = context.services;
    const record = silentBackoff.active(keys.user) ?? silentBackoff.active(keys.resource);
    if (!record) return undefined;
    const seconds = Math.ceil(record.remainingMs / 1000);
    emit("silent.paused", `Silent sign-in not tried: ${record.code} remembered for ${seconds} s`, {
      correlationId: context.correlationId,
      code: record.code,
      remainingMs: record.remainingMs,
    });
    const code: ErrorCode = isErrorCode(record.code) ? record.code : "interaction_required";
    if (record.kind === "no_session" || context.allowInteraction) {
      return fallThrough(`${code}_remembered`, new AuthShellError(code, `Silent sign-in was answered ${code}; not asked again for ${seconds} s`));
    }
    throw new AuthShellError(code, `Silent sign-in failed (${code}); the broker tries again in ${seconds} s`, {
      retryable: true,
      retryAfterMs: record.remainingMs,
    });
  }

  /**
   * Records (or, after a success, clears) what the silent step learnt; returns the wait recorded. A
   * failed write never costs the token.
   */
  private async remember(context: AcquisitionContext, keys: BackoffKeys, error: AuthShellError | undefined): Promise<number | undefined> {
    const { silentBackoff } = context.services;
    if (!error) {
      await Promise.all([silentBackoff.clear(keys.user), silentBackoff.clear(keys.resource)]);
      return undefined;
    }
    const key = error.code === "consent_required" ? keys.resource : keys.user;
    const kind: SilentOutcomeKind = NO_SESSION_CODES.has(error.code) ? "no_session" : "failed";
    return silentBackoff.record(key, kind, error.code);
  }
}
