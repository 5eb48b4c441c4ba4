import { createHash, randomUUID } from "node:crypto";
import type { ClientRegistration } from "./clients.js";
import type { EmulatorContext } from "./context.js";
import { accessTokenLifetime, refreshInFor } from "./lifetimes.js";
import type { ResolvedScopes } from "./scopes.js";
import { GROUP_OVERAGE_LIMIT, type EmulatorUser } from "./users.js";

export interface TokenIssue {
  user: EmulatorUser;
  client: ClientRegistration;
  scopes: ResolvedScopes;
  sessionId: string;
  /** Include `xms_cc: ["cp1"]` and use the long CAE lifetime. */
  cae: boolean;
  nonce?: string;
  refreshToken?: string;
  includeClientInfo: boolean;
}

export interface TokenResponseBody {
  token_type: "Bearer";
  scope: string;
  expires_in: number;
  ext_expires_in: number;
  refresh_in?: number;
  access_token: string;
  refresh_token?: string;
  id_token?: string;
  client_info?: string;
}

/** Entra's pairwise subject: stable per (user, app). */
function pairwiseSubject(oid: string, clientId: string): string {
  return createHash("sha256").update(`${oid}|${clientId}`).digest("base64url");
}

/** The `nbf` second a CAE challenge demands after a revocation at `revokedAtMs`. */
export function revocationSecond(revokedAtMs: number): number {
  return Math.floor(revokedAtMs / 1000) + 1;
}

export function clientInfoFor(user: EmulatorUser, tenant: string): string {
  return Buffer.from(JSON.stringify({ uid: user.oid, utid: tenant })).toString("base64url");
}

function uniqueTokenId(): string {
  return randomUUID().replace(/-/g, "").slice(0, 22);
}

/** Group claims: the list, or the overage form when the user has more than Entra puts in a JWT. */
function groupClaims(ctx: EmulatorContext, user: EmulatorUser): Record<string, unknown> {
  if (user.groups.length === 0) return {};
  if (user.groups.length <= GROUP_OVERAGE_LIMIT) return { groups: [...user.groups] };
  return {
    hasgroups: true,
    _claim_names: { groups: "src1" },
    _claim_sources: { src1: { endpoint: `${ctx.url}/v1.0/users/${user.oid}/getMemberObjects` } },
  };
}

export async function issueTokens(ctx: EmulatorContext, issue: TokenIssue): Promise<TokenResponseBody> {
  const now = ctx.now();
  const { user, client, scopes } = issue;
  // A token issued in the same second as a CAE revocation must still count as issued after it.
  const revokedAt = ctx.revokedAt.get(user.username);
  const iat = Math.max(Math.floor(now / 1000), revokedAt === undefined ? 0 : revocationSecond(revokedAt));
  const lifetime = issue.cae ? ctx.lifetimes.caeAccessTokenSeconds : accessTokenLifetime(ctx.lifetimes, ctx.random);
  const common = {
    iss: ctx.issuer,
    iat,
    nbf: iat,
    name: user.displayName,
    oid: user.oid,
    preferred_username: user.username,
    sub: pairwiseSubject(user.oid, client.clientId),
    tid: ctx.tenant,
    ver: "2.0",
  };
  const accessPayload: Record<string, unknown> = {
    ...common,
    aud: scopes.resource.audience,
    exp: iat + lifetime,
    azp: client.clientId,
    azpacr: "0",
    idtyp: "user",
    scp: scopes.resourceScopes.join(" "),
    sid: issue.sessionId,
    uti: uniqueTokenId(),
  };
  if (issue.cae) accessPayload.xms_cc = ["cp1"];
  if (scopes.resource.audience !== "00000003-0000-0000-c000-000000000000" && user.roles.length > 0) accessPayload.roles = [...user.roles];
  const body: TokenResponseBody = {
    token_type: "Bearer",
    scope: scopes.responseScope,
    expires_in: lifetime,
    ext_expires_in: lifetime + ctx.lifetimes.extExpiresExtraSeconds,
    access_token: await ctx.key.sign(accessPayload),
  };
  const refreshIn = refreshInFor(ctx.lifetimes, lifetime);
  if (refreshIn !== undefined) body.refresh_in = refreshIn;
  if (issue.refreshToken) body.refresh_token = issue.refreshToken;
  if (scopes.reserved.includes("openid")) {
    const idPayload: Record<string, unknown> = {
      ...common,
      aud: client.clientId,
      exp: iat + 3600,
      sid: issue.sessionId,
      uti: uniqueTokenId(),
      ...(issue.nonce ? { nonce: issue.nonce } : {}),
      ...(user.roles.length > 0 ? { roles: [...user.roles] } : {}),
      ...(scopes.reserved.includes("email") ? { email: user.username } : {}),
      ...groupClaims(ctx, user),
    };
    body.id_token = await ctx.key.sign(idPayload);
  }
  if (issue.includeClientInfo) body.client_info = clientInfoFor(user, ctx.tenant);
  return body;
}

/** Reads `access_token.xms_cc` (client capabilities) and `access_token.nbf` from a `claims` parameter. */
export interface ClaimsRequest {
  cp1: boolean;
  /** A CAE challenge's `nbf` requirement, epoch seconds. */
  nbf?: number;
}

export function parseClaimsParam(claims: string | null | undefined): ClaimsRequest | "invalid" {
  if (!claims) return { cp1: false };
  if (claims.length > 8192) return "invalid";
  let parsed: unknown;
  try {
    parsed = JSON.parse(claims);
  } catch {
    return "invalid";
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return "invalid";
  const accessToken = (parsed as Record<string, unknown>).access_token;
  if (typeof accessToken !== "object" || accessToken === null) return { cp1: false };
  const at = accessToken as Record<string, unknown>;
  const xmsCc = at.xms_cc as { values?: unknown } | undefined;
  const cp1 = Array.isArray(xmsCc?.values) && xmsCc.values.includes("cp1");
  const nbfValue = (at.nbf as { value?: unknown } | undefined)?.value;
  const nbf = typeof nbfValue === "string" || typeof nbfValue === "number" ? Number(nbfValue) : undefined;
  return { cp1, ...(nbf !== undefined && Number.isFinite(nbf) ? { nbf } : {}) };
}
