/**
 * The one place that names Retry-After gates and circuit breakers. A key names what a 429 or an
 * outage closes: one IdP endpoint of one tenant (`idp:<host>/<tenant>/<endpoint>`), or one resource
 * host (`resource:<host>`). Every layer (the broker's token client, the shell's MSAL network module,
 * authFetch) builds keys here, so the same endpoint can never be gated under two names.
 */

export type IdpEndpointKind = "token" | "authorize" | "metadata";

/** Gate key of an IdP endpoint from its parts, e.g. `idp:login.microsoftonline.com/<tenant>/token`. */
export function idpGateKey(host: string, tenant: string, endpoint: IdpEndpointKind = "token"): string {
  return `idp:${host}/${tenant}/${endpoint}`;
}

/**
 * Gate key of the IdP endpoint a URL points at: `/token` → token, `/authorize` → authorize, anything
 * else (discovery, instance metadata) → metadata. The tenant is the first path segment.
 */
export function idpGateKeyForUrl(url: string): string {
  const parsed = new URL(url);
  const tenant = parsed.pathname.split("/").filter(Boolean)[0] ?? "common";
  const path = parsed.pathname.replace(/\/+$/, "");
  const kind: IdpEndpointKind = path.endsWith("/token") ? "token" : path.endsWith("/authorize") ? "authorize" : "metadata";
  return idpGateKey(parsed.host, tenant, kind);
}

/**
 * What a gate or breaker key holds back, as data: one IdP endpoint or one resource host. Views show
 * this, never the key, whose format stays internal to this module.
 */
export type GateSubject = { kind: "idp"; host: string; tenant: string; endpoint: IdpEndpointKind } | { kind: "resource"; host: string };

const IDP_KEY = /^idp:([^/]+)\/([^/]+)\/(token|authorize|metadata)$/;
const RESOURCE_KEY = /^resource:(.+)$/;

/** The subject of a key built here; undefined for anything else. */
export function gateSubject(key: string): GateSubject | undefined {
  const idp = IDP_KEY.exec(key);
  if (idp) return { kind: "idp", host: idp[1]!, tenant: idp[2]!, endpoint: idp[3] as IdpEndpointKind };
  const resource = RESOURCE_KEY.exec(key);
  return resource ? { kind: "resource", host: resource[1]! } : undefined;
}

/** Gate key of a resource host, e.g. `resource:graph.microsoft.com`: one Retry-After window per host. */
export function resourceGateKey(urlOrHost: string): string {
  return `resource:${urlOrHost.includes("://") ? new URL(urlOrHost).host : urlOrHost}`;
}
