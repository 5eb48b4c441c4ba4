/**
 * Reads the identity claims the UI needs from an ID-token payload (R8: no UserInfo call). The
 * payload is the already-decoded JSON object; nothing here validates signatures.
 *
 * Groups overage: when a user is in more groups than fit in a token, Entra omits `groups` and sets
 * `_claim_names.groups` (JWT) or `hasgroups: true` (implicit flow). Then `groups` is empty and
 * `groupsOverage` true: the app must ask Microsoft Graph, and `inGroup` cannot answer from the token.
 */
export interface IdentityClaims {
  /** `tid`: the tenant that issued the token. */
  tenantId?: string;
  /** `oid`: the user's object ID in that tenant. */
  oid?: string;
  /** `preferred_username`, else `upn`, else `email`. */
  username?: string;
  name?: string;
  roles: string[];
  groups: string[];
  groupsOverage: boolean;
}

export function readIdTokenClaims(payload: Record<string, unknown>): IdentityClaims {
  const claims: IdentityClaims = {
    roles: stringList(payload.roles),
    groups: stringList(payload.groups),
    groupsOverage: hasGroupsOverage(payload),
  };
  const tenantId = stringClaim(payload.tid);
  const oid = stringClaim(payload.oid);
  const username = stringClaim(payload.preferred_username) ?? stringClaim(payload.upn) ?? stringClaim(payload.email);
  const name = stringClaim(payload.name);
  if (tenantId !== undefined) claims.tenantId = tenantId;
  if (oid !== undefined) claims.oid = oid;
  if (username !== undefined) claims.username = username;
  if (name !== undefined) claims.name = name;
  return claims;
}

/** Whether the token carries app role `role` (exact, case-sensitive match, as Entra's role values). */
export function hasRole(claims: Pick<IdentityClaims, "roles">, role: string): boolean {
  return claims.roles.includes(role);
}

/**
 * Whether the token lists group `groupId` (object IDs compared case-insensitively). False under
 * groups overage — check `groupsOverage` and ask Graph in that case.
 */
export function inGroup(claims: Pick<IdentityClaims, "groups">, groupId: string): boolean {
  const wanted = groupId.toLowerCase();
  return claims.groups.some((g) => g.toLowerCase() === wanted);
}

function hasGroupsOverage(payload: Record<string, unknown>): boolean {
  const claimNames = payload._claim_names;
  const viaClaimNames =
    typeof claimNames === "object" && claimNames !== null && Object.prototype.hasOwnProperty.call(claimNames, "groups");
  const viaHasGroups = payload.hasgroups === true || payload.hasgroups === "true";
  return viaClaimNames || viaHasGroups;
}

function stringList(value: unknown): string[] {
  if (typeof value === "string") return value ? [value] : [];
  if (!Array.isArray(value)) return [];
  return value.filter((v): v is string => typeof v === "string" && v !== "");
}

function stringClaim(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}
