import { withClientCapabilities } from "../cae/claims-request.js";
import { AuthShellError } from "../errors.js";
import { buildAuthorizeUrl } from "../oidc/authorize-url.js";
import { createPkcePair, randomUrlSafeString } from "../oidc/pkce.js";
import { parseRedirectResult } from "../oidc/redirect-result.js";
import { requestMode, type AcquisitionContext } from "./acquisition-step.js";
import type { TokenResult, TokenSource } from "./broker-types.js";
import { storeTokenResponse } from "./store-token-response.js";
import { buildTokenResult } from "./token-result.js";

/** Where an authorize exchange failed: in the browser flow, or at the token endpoint. */
export class AuthorizeFlowError extends Error {
  constructor(readonly error: AuthShellError) {
    super(error.message);
  }
}

/**
 * Fails fast (sending nothing) while the token endpoint's gate is closed, its breaker open, or a
 * half-open probe (e.g. a background retry after a failure) is in flight: nobody queues behind it.
 */
export function assertTokenEndpointOpen(context: AcquisitionContext): void {
  const { services } = context;
  const key = services.authority.tokenGateKey;
  services.gate.check(key);
  services.breaker.check(key);
}

/**
 * Authorization code flow with PKCE S256, state and nonce: open the authorize URL through the
 * AuthorizeFlow port (`prompt=none` when not interactive; never login/consent), check the
 * redirect's state, redeem the code, check the ID token's nonce, store everything in one batch.
 * Browser-flow failures are wrapped in AuthorizeFlowError so steps can tell them apart.
 */
export async function authorizeAndRedeem(context: AcquisitionContext, interactive: boolean): Promise<TokenResult> {
  try {
    return await authorizeAndRedeemOnce(context, interactive);
  } catch (error) {
    if (!isCodeAlreadyRedeemed(error)) throw error;
    // AADSTS54005 for a code this flow redeemed once only: an earlier copy of the same POST was
    // redeemed and its answer lost (Chromium resends a POST whose reused connection was reset after
    // the IdP did the work). Those tokens are gone; the IdP session that issued the code is not, so
    // one more authorize round gets a fresh code instead of telling the page to prompt (issue 12).
    // Always prompt=none: the session exists (it just issued the code), and a person who signed in
    // must never see a second window for it.
    context.services.emit("chain.code_redemption_lost", "The code was redeemed but its answer was lost; authorizing once more", {
      correlationId: context.correlationId,
    });
    try {
      return await authorizeAndRedeemOnce(context, interactive, false);
    } catch (retryError) {
      // The fresh round could not even get a code: the lost redemption is the caller's answer.
      if (retryError instanceof AuthorizeFlowError) throw error;
      throw retryError;
    }
  }
}

/** Entra's "authorization code was already redeemed" answer to a code redemption. */
function isCodeAlreadyRedeemed(error: unknown): boolean {
  return error instanceof AuthShellError && error.code === "invalid_grant" && error.idpErrorCode === 54005;
}

async function authorizeAndRedeemOnce(context: AcquisitionContext, interactive: boolean, showWindow = interactive): Promise<TokenResult> {
  const { services } = context;
  assertTokenEndpointOpen(context);
  // A 429 on /authorize closes its own gate: while it holds, neither a silent flow nor a window goes out.
  services.gate.check(services.authority.authorizeGateKey);
  const pkce = await createPkcePair(services.random, services.crypto);
  const state = randomUrlSafeString(services.random, 16);
  const nonce = randomUrlSafeString(services.random, 16);
  const claims = withClientCapabilities(context.challengeClaims, services.config.clientCapabilities) || undefined;
  const loginHint = context.account?.username || context.loginHint;
  const url = buildAuthorizeUrl({
    authority: services.authority,
    clientId: context.clientId,
    redirectUri: services.config.redirectUri,
    scopes: context.scopes,
    state,
    nonce,
    codeChallenge: pkce.challenge,
    ...(!showWindow ? { prompt: "none" as const } : context.selectAccount ? { prompt: "select_account" as const } : {}),
    ...(loginHint ? { loginHint } : {}),
    ...(claims ? { claims } : {}),
    correlationId: context.correlationId,
    ...(services.policy.clientSku ? { clientSku: services.policy.clientSku } : {}),
  });
  let code: string;
  try {
    const redirect = await services.authorizeFlow.run(url, { interactive: showWindow, redirectUri: services.config.redirectUri });
    code = parseRedirectResult(redirect, state).code;
  } catch (error) {
    const flowError = AuthShellError.from(error, "interaction_required");
    if (flowError.code === "throttled" && flowError.retryAfterMs !== undefined) await closeAuthorizeGate(context, flowError.retryAfterMs);
    throw new AuthorizeFlowError(flowError);
  }
  const requestedAt = services.clock.now();
  const response = await services.tokenClient(context.clientId, requestMode(context)).redeemCode({
    code,
    codeVerifier: pkce.verifier,
    scopes: context.scopes,
    ...(claims ? { claims } : {}),
    correlationId: context.correlationId,
  });
  const stored = await storeTokenResponse(context, response, requestedAt, nonce);
  context.account = stored.account;
  const source: TokenSource = interactive ? "interactive" : "silent_authorize";
  return buildTokenResult(context, stored.accessToken, stored.account, source);
}

/**
 * The AuthorizeFlow learnt that /authorize answered 429 with a Retry-After (a browser auth flow hides
 * the status; the extension's flow probes for it): its gate holds every authorize flow for that long.
 */
async function closeAuthorizeGate(context: AcquisitionContext, waitMs: number): Promise<void> {
  const { services } = context;
  const key = services.authority.authorizeGateKey;
  services.emit("chain.authorize_throttled", `The sign-in endpoint is throttling: no sign-in flow for ${Math.ceil(waitMs / 1000)} s (Retry-After)`, {
    correlationId: context.correlationId,
    retryAfterMs: waitMs,
  });
  // Never rejects: a refused write is a storage.write_failed event, and the gate in memory holds.
  await services.gate.close(key, waitMs);
}
