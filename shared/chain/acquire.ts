import { isUnexpired } from "../cache/lifetimes.js";
import { AuthShellError } from "../errors.js";
import type { AcquisitionContext, AcquisitionStep } from "./acquisition-step.js";
import type { TokenResult } from "./broker-types.js";
import { CacheStep, findCachedAccessToken } from "./cache-step.js";
import { InteractiveStep } from "./interactive-step.js";
import { RefreshTokenStep } from "./refresh-token-step.js";
import { SilentAuthorizeStep } from "./silent-authorize-step.js";
import { buildTokenResult } from "./token-result.js";

/** The acquisition chain, silent first (R4, docs/architecture.md): cache → refresh token → prompt=none → interactive. */
export function defaultSteps(): AcquisitionStep[] {
  return [new CacheStep(), new RefreshTokenStep(), new SilentAuthorizeStep(), new InteractiveStep()];
}

/**
 * Runs the steps in order until one yields a token. When every step falls through, throws
 * 'interaction_required' (carrying the claims challenge, if any). When a step throws a retryable
 * error (throttled, IdP unavailable, timeout, network) and an unexpired access token for the
 * request is cached, that token is served instead (R5, R6); otherwise the error is thrown.
 */
export async function runChain(context: AcquisitionContext, steps: readonly AcquisitionStep[]): Promise<TokenResult> {
  const { services } = context;
  const detail = (extra: Record<string, string | number | boolean> = {}) => ({
    correlationId: context.correlationId,
    clientId: context.clientId,
    ...extra,
  });
  let last: AuthShellError | undefined;
  let lastReason = "no_step";
  try {
    for (const step of steps) {
      services.emit("chain.step_start", `${step.name}`, detail({ step: step.name }));
      const outcome = await step.run(context);
      if (outcome.kind === "token") {
        services.emit("chain.step_token", `${step.name} produced a token`, detail({ step: step.name, source: outcome.result.source }));
        return outcome.result;
      }
      services.emit("chain.step_fall_through", `${step.name}: ${outcome.reason}`, detail({ step: step.name, reason: outcome.reason }));
      lastReason = outcome.reason;
      if (outcome.error) last = outcome.error;
    }
  } catch (error) {
    const shellError = AuthShellError.from(error);
    services.emit("chain.step_failed", `${shellError.code}`, detail({ code: shellError.code, retryable: shellError.retryable }));
    const cached = shellError.retryable ? servableDuringOutage(context) : undefined;
    if (cached) {
      context.servedDuringOutage = shellError;
      services.emit("chain.served_cached", `Serving the cached token (${shellError.code})`, detail({ code: shellError.code }));
      return cached;
    }
    throw withCorrelation(shellError, context.correlationId);
  }
  const init = {
    correlationId: context.correlationId,
    ...(context.challengeClaims ? { claims: context.challengeClaims } : {}),
    ...(last?.idpError ? { idpError: last.idpError } : {}),
    ...(last?.idpErrorCode !== undefined ? { idpErrorCode: last.idpErrorCode } : {}),
    ...(last?.suberror ? { suberror: last.suberror } : {}),
  };
  throw new AuthShellError("interaction_required", `Interaction required (${last?.code ?? lastReason})`, init);
}

function servableDuringOutage(context: AcquisitionContext): TokenResult | undefined {
  const { account, services } = context;
  if (!account || context.challengeClaims !== undefined || context.refreshDueOnly) return undefined;
  const entry = findCachedAccessToken(context, account);
  if (!entry || !isUnexpired(entry, services.clock.now())) return undefined;
  return buildTokenResult(context, entry, account, "cache");
}

function withCorrelation(error: AuthShellError, correlationId: string): AuthShellError {
  if (error.correlationId) return error;
  const plain = error.toPlain();
  return AuthShellError.fromPlain({ ...plain, correlationId });
}
