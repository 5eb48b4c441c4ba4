/** Scope parsing and resource resolution, following Entra v2's rules. */
import { RESERVED_SCOPES } from "../../../shared/cache/scopes.js";

export interface Resource {
  /** `aud` of access tokens for this resource. */
  audience: string;
  /** Prefix of the fully-qualified scope form. */
  prefix: string;
  scopes: string[];
  /** Scopes every user has consented to for every client until a test says otherwise (`POST consent`). */
  consentedByDefault: string[];
  /** Whether `scope` in responses uses the short form ("User.Read") as Entra does for Graph. */
  shortForm: boolean;
}

export const GRAPH_AUDIENCE = "00000003-0000-0000-c000-000000000000";

export const RESOURCES: readonly Resource[] = [
  { audience: GRAPH_AUDIENCE, prefix: "https://graph.microsoft.com/", scopes: ["User.Read", "Mail.Read"], consentedByDefault: ["User.Read"], shortForm: true },
  { audience: "api://demo", prefix: "api://demo/", scopes: ["Data.Read", "Data.Write"], consentedByDefault: ["Data.Read"], shortForm: false },
];

export interface ResolvedScopes {
  resource: Resource;
  /** Granted resource scopes, short names (e.g. "User.Read"). */
  resourceScopes: string[];
  reserved: string[];
  /** The `scope` value Entra would return. */
  responseScope: string;
  /** The request named `<resource>/.default`: every scope consented for the resource is meant. */
  viaDefault: boolean;
}

/** `scopes` with its resource scopes replaced (after consent), `responseScope` recomputed. */
export function withResourceScopes(scopes: ResolvedScopes, resourceScopes: string[]): ResolvedScopes {
  const shown = resourceScopes.map((s) => (scopes.resource.shortForm ? s : scopes.resource.prefix + s));
  return { ...scopes, resourceScopes, responseScope: [...shown, ...scopes.reserved].join(" ") };
}

const MAX_SCOPES = 50;

/** Resolves a `scope` parameter; returns an error message when invalid. */
export function resolveScopes(scopeParam: string | null | undefined): ResolvedScopes | { error: "invalid_scope" | "multiple_resources"; detail: string } {
  const raw = (scopeParam ?? "").split(/\s+/).filter((s) => s.length > 0);
  if (raw.length === 0) return { error: "invalid_scope", detail: "The 'scope' parameter is empty." };
  if (raw.length > MAX_SCOPES || raw.some((s) => s.length > 256)) return { error: "invalid_scope", detail: "Too many or too long scopes." };
  const reserved = new Set<string>();
  let viaDefault = false;
  let resource: Resource | undefined;
  const resourceScopes = new Set<string>();
  for (const scope of raw) {
    const lower = scope.toLowerCase();
    const reservedMatch = RESERVED_SCOPES.find((r) => r === lower);
    if (reservedMatch) {
      reserved.add(reservedMatch);
      continue;
    }
    const match = matchResourceScope(scope);
    if (!match) return { error: "invalid_scope", detail: `The scope '${scope.slice(0, 80)}' does not exist.` };
    if (resource && resource !== match.resource) {
      return { error: "multiple_resources", detail: "Scopes for more than one resource were requested." };
    }
    resource = match.resource;
    if (match.viaDefault) viaDefault = true;
    for (const s of match.scopes) resourceScopes.add(s);
  }
  const finalResource = resource ?? RESOURCES[0]!;
  // Only OIDC scopes: Entra issues a token for Graph's consented scopes, as for `.default`.
  if (resourceScopes.size === 0) {
    viaDefault = true;
    for (const s of finalResource.consentedByDefault) resourceScopes.add(s);
  }
  const reservedOrdered = RESERVED_SCOPES.filter((r) => reserved.has(r));
  const base: ResolvedScopes = { resource: finalResource, resourceScopes: [], reserved: reservedOrdered, responseScope: "", viaDefault };
  return withResourceScopes(base, [...resourceScopes]);
}

/** The resource and short scope names one scope string names (`.default`: the default-consented ones). */
export function matchResourceScope(scope: string): { resource: Resource; scopes: string[]; viaDefault: boolean } | undefined {
  for (const resource of RESOURCES) {
    const lower = scope.toLowerCase();
    const prefixLower = resource.prefix.toLowerCase();
    let name: string | undefined;
    if (lower.startsWith(prefixLower)) name = scope.slice(resource.prefix.length);
    else if (resource.shortForm && !scope.includes("/")) name = scope;
    if (name === undefined) continue;
    if (name === ".default") return { resource, scopes: [...resource.consentedByDefault], viaDefault: true };
    const known = resource.scopes.find((s) => s.toLowerCase() === name!.toLowerCase());
    if (known) return { resource, scopes: [known], viaDefault: false };
  }
  return undefined;
}
