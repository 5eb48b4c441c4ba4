import type { AccessTokenEntry, AccountEntry, IdTokenEntry, RefreshTokenEntry } from "../cache/cache-entries.js";
import { computeLifetimes } from "../cache/lifetimes.js";
import { normalizeScopes, resourceScopes } from "../cache/scopes.js";
import { AuthShellError } from "../errors.js";
import { homeAccountIdFrom, homeAccountIdFromClaims } from "../oidc/client-info.js";
import { checkAudience, checkNonce, decodeIdToken } from "../oidc/id-token.js";
import type { TokenEndpointResponse } from "../oidc/token-response.js";
import type { AcquisitionContext } from "./acquisition-step.js";

export interface StoredTokens {
  account: AccountEntry;
  accessToken: AccessTokenEntry;
}

function str(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

/**
 * Scopes the new access token serves: what the IdP granted, plus requested `/.default` scopes and
 * requested resource-qualified scopes whose short form was granted (Entra answers
 * `https://graph.microsoft.com/User.Read` with `User.Read`); the requested ones if none came back.
 */
export function grantedScopes(requested: readonly string[], granted: readonly string[]): string[] {
  if (granted.length === 0) return resourceScopes(requested);
  const grantedSet = new Set(normalizeScopes(granted));
  const extra = normalizeScopes(requested).filter((s) => {
    if (s.endsWith("/.default")) return true;
    const short = s.slice(s.lastIndexOf("/") + 1);
    return s.includes("/") && grantedSet.has(short);
  });
  return resourceScopes([...grantedSet, ...extra]);
}

/**
 * Validates a token response (ID token nonce/audience) and stores account, ID token, access token
 * and the rotated refresh token in ONE batch. `expectedNonce` is set for code redemption only.
 */
export async function storeTokenResponse(
  context: AcquisitionContext,
  response: TokenEndpointResponse,
  requestedAt: number,
  expectedNonce?: string,
): Promise<StoredTokens> {
  const { services, clientId } = context;
  const authority = services.authority.url;
  const claims = response.idToken ? decodeIdToken(response.idToken) : undefined;
  if (claims) {
    checkAudience(claims, clientId);
    if (expectedNonce !== undefined) checkNonce(claims, expectedNonce);
  } else if (expectedNonce !== undefined) {
    throw new AuthShellError("invalid_response", "The code redemption returned no ID token");
  }
  const homeAccountId =
    (response.clientInfo ? homeAccountIdFrom(response.clientInfo) : undefined) ??
    (claims ? homeAccountIdFromClaims(claims) : undefined) ??
    context.account?.homeAccountId;
  if (!homeAccountId) throw new AuthShellError("invalid_response", "The token response identifies no account");

  const now = services.clock.now();
  const known = services.cache.getAccount(homeAccountId) ?? context.account;
  const [uid, utid] = homeAccountId.split(".");
  const account: AccountEntry = {
    homeAccountId,
    environment: services.authority.host,
    tenantId: str(claims?.tid) ?? known?.tenantId ?? utid ?? "",
    localAccountId: str(claims?.oid) ?? str(claims?.sub) ?? known?.localAccountId ?? uid ?? "",
    username:
      str(claims?.preferred_username) ?? str(claims?.upn) ?? str(claims?.email) ?? known?.username ?? context.loginHint ?? "",
    authority,
    lastSignInAt: expectedNonce !== undefined ? now : (known?.lastSignInAt ?? now),
  };
  const name = str(claims?.name) ?? known?.name;
  if (name !== undefined) account.name = name;

  const family = { homeAccountId, authority, clientId };
  const idToken: IdTokenEntry | undefined =
    response.idToken && claims ? { ...family, secret: response.idToken, claims, cachedAt: now } : undefined;
  const refreshToken: RefreshTokenEntry | undefined = response.refreshToken
    ? { ...family, secret: response.refreshToken, cachedAt: now }
    : undefined;
  const accessToken: AccessTokenEntry = {
    ...family,
    scopes: grantedScopes(context.scopes, response.scopes),
    claimsHash: context.claimsHash,
    secret: response.accessToken,
    cachedAt: requestedAt,
    ...computeLifetimes(requestedAt, response.expiresInSec, response.extExpiresInSec, response.refreshInSec),
  };
  await services.cache.save({
    account,
    accessToken,
    ...(idToken ? { idToken } : {}),
    ...(refreshToken ? { refreshToken } : {}),
  });
  return { account, accessToken };
}
