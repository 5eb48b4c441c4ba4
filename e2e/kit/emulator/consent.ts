import type { EntraErrorSpec } from "./entra-error.js";
import { entraErrorFor } from "./entra-error-presets.js";
import { matchResourceScope, RESOURCES, withResourceScopes, type ResolvedScopes } from "./scopes.js";

/**
 * Granted (consented) scopes per client and user. Without a record, every user has consented to each
 * resource's `consentedByDefault` scopes for every client (admin consent). A request for a scope that
 * is not granted gets Entra's AADSTS65001 (`consent_required`) unless `unconsented: "drop"`, which
 * issues a token for the granted subset only: the response's `scope` is then narrower than the
 * request, as Entra's can be (MSAL.NET #1788). An interactive sign-in grants what it asked for (the
 * user accepts the consent prompt Entra would show).
 */
type UnconsentedBehaviour = "consent_required" | "drop";

export interface ConsentSpec {
  /** Default: the default client. */
  clientId?: string;
  /** Default: every user of the client. */
  username?: string;
  /** Granted scopes, in any form the token endpoint accepts ("User.Read", "api://demo/Data.Read"). */
  scopes: string[];
  unconsented?: UnconsentedBehaviour;
}

interface ConsentRecord {
  /** Full lower-case scope names: `<resource prefix><name>`. */
  granted: Set<string>;
  unconsented: UnconsentedBehaviour;
}

const fullName = (prefix: string, name: string) => `${prefix}${name}`.toLowerCase();

export function parseConsentSpec(input: unknown, defaultClientId: string): (ConsentSpec & { clientId: string }) | string {
  if (typeof input !== "object" || input === null || Array.isArray(input)) return "body must be a JSON object";
  const b = input as Record<string, unknown>;
  if (b.clientId !== undefined && (typeof b.clientId !== "string" || b.clientId.length > 64)) return "clientId must be a string";
  if (b.username !== undefined && (typeof b.username !== "string" || b.username.length > 200)) return "username must be a string";
  if (!Array.isArray(b.scopes) || b.scopes.length > 50 || !b.scopes.every((s) => typeof s === "string" && matchResourceScope(s))) {
    return "scopes must be an array of known resource scopes";
  }
  if (b.unconsented !== undefined && b.unconsented !== "consent_required" && b.unconsented !== "drop") return "unconsented must be 'consent_required' or 'drop'";
  return {
    clientId: ((b.clientId as string | undefined) ?? defaultClientId).toLowerCase(),
    ...(typeof b.username === "string" ? { username: b.username.toLowerCase() } : {}),
    scopes: b.scopes as string[],
    unconsented: (b.unconsented as UnconsentedBehaviour | undefined) ?? "consent_required",
  };
}

export class ConsentStore {
  private readonly records = new Map<string, ConsentRecord>();

  private key(clientId: string, username: string | undefined): string {
    return `${clientId.toLowerCase()}|${username?.toLowerCase() ?? "*"}`;
  }

  set(spec: ConsentSpec & { clientId: string }): void {
    const granted = new Set<string>();
    for (const scope of spec.scopes) {
      const match = matchResourceScope(scope)!;
      for (const name of match.scopes) granted.add(fullName(match.resource.prefix, name));
    }
    this.records.set(this.key(spec.clientId, spec.username), { granted, unconsented: spec.unconsented ?? "consent_required" });
  }

  private record(clientId: string, username: string): ConsentRecord | undefined {
    return this.records.get(this.key(clientId, username)) ?? this.records.get(this.key(clientId, undefined));
  }

  private grantedFor(clientId: string, username: string): ConsentRecord {
    const record = this.record(clientId, username);
    if (record) return record;
    const granted = new Set(RESOURCES.flatMap((r) => r.consentedByDefault.map((n) => fullName(r.prefix, n))));
    return { granted, unconsented: "consent_required" };
  }

  /** Records the consent an interactive sign-in gives for `scopes`. */
  grantInteractive(clientId: string, username: string, scopes: ResolvedScopes): void {
    const current = this.grantedFor(clientId, username);
    const granted = new Set(current.granted);
    for (const name of scopes.resourceScopes) granted.add(fullName(scopes.resource.prefix, name));
    this.records.set(this.key(clientId, username), { granted, unconsented: current.unconsented });
  }

  /** The scopes a token may carry, or Entra's consent error. */
  apply(clientId: string, username: string, scopes: ResolvedScopes, endpoint: "token" | "authorize"): ResolvedScopes | EntraErrorSpec {
    const { granted, unconsented } = this.grantedFor(clientId, username);
    const isGranted = (name: string) => granted.has(fullName(scopes.resource.prefix, name));
    if (scopes.viaDefault) {
      // `.default` means "whatever is consented for this resource".
      const all = scopes.resource.scopes.filter(isGranted);
      return all.length > 0 ? withResourceScopes(scopes, all) : consentError(scopes, scopes.resource.consentedByDefault, endpoint);
    }
    const missing = scopes.resourceScopes.filter((s) => !isGranted(s));
    if (missing.length === 0) return scopes;
    const kept = scopes.resourceScopes.filter(isGranted);
    if (unconsented === "drop" && kept.length > 0) return withResourceScopes(scopes, kept);
    return consentError(scopes, missing, endpoint);
  }

  clear(): void {
    this.records.clear();
  }
}

function consentError(scopes: ResolvedScopes, missing: string[], endpoint: "token" | "authorize"): EntraErrorSpec {
  const names = missing.map((s) => (scopes.resource.shortForm ? s : scopes.resource.prefix + s)).join(" ");
  return entraErrorFor(
    {
      preset: "consent_required",
      message: `The user or administrator has not consented to use the application with ID for the scopes '${names.slice(0, 200)}'. Send an interactive authorization request for this user and resource.`,
    },
    endpoint,
  );
}
