import type { IncomingMessage, ServerResponse } from "node:http";
import { createHash } from "node:crypto";
import type { ClientRegistration } from "../clients.js";
import { EmulatorContext, sendEntraError, type RequestFacts } from "../context.js";
import { ERR, type EntraErrorSpec } from "../entra-error.js";
import { BodyTooLargeError, corsHeaders, isFormContentType, parseForm, readBody, sendJson } from "../http-util.js";
import { NON_SPA_REFRESH_TOKEN_SECONDS } from "../lifetimes.js";
import { LOOP_DETECTED } from "../loop-detector.js";
import type { TokenFamily } from "../refresh-tokens.js";
import { resolveScopes, type ResolvedScopes } from "../scopes.js";
import { issueTokens, parseClaimsParam, type ClaimsRequest } from "../tokens.js";
import { findUser } from "../users.js";

const invalidGrant = (aadsts: number, message: string, suberror?: string): EntraErrorSpec => ({ status: 400, error: "invalid_grant", aadsts, message, ...(suberror ? { suberror } : {}) });

function scopesFrom(param: string | null): ResolvedScopes | EntraErrorSpec {
  const scopes = resolveScopes(param);
  if (!("error" in scopes)) return scopes;
  return scopes.error === "multiple_resources"
    ? { status: 400, error: "invalid_request", aadsts: 28000, message: "Provided value for the input parameter scope is not valid because it contains more than one resource." }
    : ERR.invalidScope(scopes.detail);
}

/** Entra's cross-origin rules: SPA redemptions must be cross-origin (Origin header); others must not. */
function checkOrigin(client: ClientRegistration, origin: string | undefined): EntraErrorSpec | undefined {
  if (client.type === "spa" && !origin) {
    return { status: 400, error: "invalid_request", aadsts: 9002327, message: "Tokens issued for the 'Single-Page Application' client-type may only be redeemed via cross-origin requests." };
  }
  if (client.type !== "spa" && origin) {
    return { status: 400, error: "invalid_request", aadsts: 9002326, message: "Cross-origin token redemption is permitted only for the 'Single-Page Application' client-type." };
  }
  return undefined;
}

/** `POST /{tenant}/oauth2/v2.0/token` */
export async function tokenEndpoint(ctx: EmulatorContext, req: IncomingMessage, res: ServerResponse, facts: RequestFacts, tenant: string): Promise<void> {
  const fail = (spec: EntraErrorSpec) => sendEntraError(ctx, res, facts, spec);
  let body: string;
  try {
    body = await readBody(req);
  } catch (err) {
    return fail(err instanceof BodyTooLargeError ? { status: 413, error: "invalid_request", aadsts: 90014, message: "The request body is too large." } : ERR.malformed("The request body could not be read."));
  }
  if (!ctx.acceptsTenant(tenant)) return fail(ERR.unknownTenant(tenant));
  if (!isFormContentType(req)) return fail(ERR.missingParam("grant_type"));
  const form = parseForm(body);
  if (typeof form === "string") return fail(ERR.malformed(form));
  const grantType = form.get("grant_type");
  facts.grantType = grantType?.slice(0, 40) || undefined;
  if (!grantType) return fail(ERR.missingParam("grant_type"));
  const clientId = form.get("client_id");
  facts.clientId = clientId?.slice(0, 64) || undefined;
  if (!clientId) return fail(ERR.missingParam("client_id"));
  const client = ctx.clients.get(clientId);
  if (!client) return fail(ERR.unknownClient(clientId));
  if (grantType !== "authorization_code" && grantType !== "refresh_token") {
    return fail({ status: 400, error: "unsupported_grant_type", aadsts: 70003, message: `The app requested an unsupported grant type '${grantType.slice(0, 40)}'.` });
  }
  const originError = checkOrigin(client, facts.origin);
  if (originError) return fail(originError);
  const claims = parseClaimsParam(form.get("claims"));
  if (claims === "invalid") return fail(ERR.malformed("The claims parameter is not valid JSON."));
  if (grantType === "authorization_code") return redeemCode(ctx, res, facts, client, form, claims, tenant);
  return redeemRefreshToken(ctx, res, facts, client, form, claims);
}

async function redeemCode(ctx: EmulatorContext, res: ServerResponse, facts: RequestFacts, client: ClientRegistration, form: URLSearchParams, claims: ClaimsRequest, tenant: string): Promise<void> {
  const fail = (spec: EntraErrorSpec) => sendEntraError(ctx, res, facts, spec);
  const code = form.get("code");
  if (!code) return fail(ERR.missingParam("code"));
  const redirectUri = form.get("redirect_uri");
  if (!redirectUri) return fail(ERR.missingParam("redirect_uri"));
  const lookup = ctx.codes.redeem(code, ctx.now());
  if (lookup.kind === "unknown") return fail(invalidGrant(9002313, "Invalid request. Request is malformed or invalid. The provided value for the 'code' parameter is not valid."));
  facts.username = lookup.grant.username;
  if (lookup.kind === "redeemed") return fail(invalidGrant(54005, "OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token."));
  if (lookup.kind === "expired") return fail(invalidGrant(70008, "The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource."));
  const grant = lookup.grant;
  if (grant.clientId !== client.clientId) return fail(invalidGrant(70000, "The provided value for the 'code' parameter is not valid. The code was issued to a different client."));
  // Entra: a code issued on a tenant's path cannot be redeemed on /common or /organizations.
  if (!EmulatorContext.isMultiTenantPath(grant.tenantPath) && EmulatorContext.isMultiTenantPath(tenant)) {
    return fail(invalidGrant(700005, "Provided Authorization Code is intended to use against other tenant, thus rejected."));
  }
  if (grant.redirectUri !== redirectUri) {
    return fail({ status: 400, error: "invalid_grant", aadsts: 500112, message: `The reply address '${redirectUri.slice(0, 200)}' does not match the reply address provided when requesting the authorization code.` });
  }
  const verifier = form.get("code_verifier");
  if (!verifier) return fail({ status: 400, error: "invalid_request", aadsts: 9002325, message: "Proof Key for Code Exchange is required for cross-origin authorization code redemption. The request body must contain the following parameter: 'code_verifier'." });
  const computed = createHash("sha256").update(verifier).digest("base64url");
  if (!/^[A-Za-z0-9._~-]{43,128}$/.test(verifier) || computed !== grant.codeChallenge) {
    return fail(invalidGrant(50148, "The code_verifier does not match the code_challenge supplied in the authorization request for PKCE."));
  }
  const user = findUser(grant.username);
  if (!user) return fail(invalidGrant(50034, "The user account does not exist in the directory."));
  const requested = scopesFrom(form.get("scope") ?? grant.scope);
  if ("status" in requested) return fail(requested);
  const scopes = ctx.consents.apply(client.clientId, user.username, requested, "token");
  if ("status" in scopes) return fail(scopes);
  facts.scope = scopes.responseScope;
  const now = ctx.now();
  const family = scopes.reserved.includes("offline_access")
    ? ctx.refreshTokens.startFamily({
        clientId: client.clientId,
        clientType: client.type,
        username: user.username,
        sessionId: grant.sessionId,
        authTime: grant.authTime,
        createdAt: now,
        expiresAt: now + (client.type === "spa" ? ctx.lifetimes.refreshTokenSeconds : NON_SPA_REFRESH_TOKEN_SECONDS) * 1000,
      })
    : undefined;
  const body = await issueTokens(ctx, {
    user,
    client,
    scopes,
    sessionId: grant.sessionId,
    cae: grant.cae || claims.cp1,
    nonce: grant.nonce,
    refreshToken: family ? ctx.refreshTokens.issue(family) : undefined,
    includeClientInfo: form.get("client_info") === "1",
  });
  sendJson(res, 200, body, { ...corsHeaders(facts.origin), "client-request-id": facts.correlationId });
}

/** "Identical" refresh grants: same client, user and (normalised) scopes, whichever RT of the chain. */
function loopKey(clientId: string, username: string, scopes: ResolvedScopes): string {
  return `token|refresh_token|${clientId}|${username}|${scopes.responseScope.toLowerCase().split(" ").sort().join(" ")}`;
}

function refreshFailure(family: TokenFamily | undefined, kind: string): EntraErrorSpec {
  if (kind === "unknown") return invalidGrant(9002313, "Invalid request. Request is malformed or invalid. The refresh token is not valid.", "bad_token");
  if (kind === "expired") {
    return family?.clientType === "spa"
      ? invalidGrant(700084, "The refresh token was issued to a single page app (SPA), and therefore has a fixed, limited lifetime which cannot be extended. It is now expired and a new sign in request must be sent by the SPA to the sign in page.", "bad_token")
      : invalidGrant(700082, "The refresh token has expired due to inactivity.", "bad_token");
  }
  return invalidGrant(50173, "The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have changed or reset their password.", "bad_token");
}

async function redeemRefreshToken(ctx: EmulatorContext, res: ServerResponse, facts: RequestFacts, client: ClientRegistration, form: URLSearchParams, claims: ClaimsRequest): Promise<void> {
  const fail = (spec: EntraErrorSpec) => sendEntraError(ctx, res, facts, spec);
  const refreshToken = form.get("refresh_token");
  if (!refreshToken) return fail(ERR.missingParam("refresh_token"));
  const scopeParam = form.get("scope");
  if (!scopeParam) return fail(ERR.missingParam("scope"));
  const requested = scopesFrom(scopeParam);
  if ("status" in requested) return fail(requested);
  facts.scope = requested.responseScope;
  const now = ctx.now();
  const known = ctx.refreshTokens.familyOf(refreshToken);
  if (known && ctx.loops.record(loopKey(client.clientId, known.username, requested), now, ctx.settings.loopDetection)) {
    facts.username = known.username;
    facts.fault = "request_loop";
    return fail(LOOP_DETECTED);
  }
  const lookup = ctx.refreshTokens.consume(refreshToken, now, ctx.settings.refreshTokenReuse);
  const family = lookup.kind === "unknown" ? undefined : lookup.family;
  if (family) facts.username = family.username;
  if (lookup.kind !== "ok") return fail(refreshFailure(family, lookup.kind));
  const fam = lookup.family;
  if (fam.clientId !== client.clientId) return fail(invalidGrant(70000, "The provided grant is invalid: the refresh token was issued to a different client."));
  const user = findUser(fam.username);
  if (!user) return fail(invalidGrant(50034, "The user account does not exist in the directory."));
  const scopes = ctx.consents.apply(client.clientId, user.username, requested, "token");
  if ("status" in scopes) return fail(scopes);
  facts.scope = scopes.responseScope;
  if (fam.clientType !== "spa") fam.expiresAt = now + NON_SPA_REFRESH_TOKEN_SECONDS * 1000;
  const body = await issueTokens(ctx, {
    user,
    client,
    scopes,
    sessionId: fam.sessionId,
    cae: claims.cp1,
    refreshToken: ctx.refreshTokens.issue(fam),
    includeClientInfo: form.get("client_info") === "1",
  });
  sendJson(res, 200, body, { ...corsHeaders(facts.origin), "client-request-id": facts.correlationId });
}
