import { AuthShellError } from "../errors.js";
import { idpGateKey } from "../resilience/gate-keys.js";

/** The endpoints of an Entra v2 style authority such as `https://login.microsoftonline.com/<tenant>`. */
export interface Authority {
  /** Normalised authority URL without a trailing slash. */
  url: string;
  /** Host (with port) — the account's `environment`. */
  host: string;
  /** First path segment: a tenant ID, `organizations`, `common`, … */
  tenant: string;
  authorizeEndpoint: string;
  tokenEndpoint: string;
  logoutEndpoint: string;
  /** Retry-After gate / circuit-breaker key of the token endpoint (shared/resilience/gate-keys.ts). */
  tokenGateKey: string;
}

export function parseAuthority(authority: string): Authority {
  let parsed: URL;
  try {
    parsed = new URL(authority);
  } catch {
    throw new AuthShellError("config_error", "The authority is not a valid URL");
  }
  if (parsed.protocol !== "https:" && parsed.hostname !== "localhost" && parsed.hostname !== "127.0.0.1") {
    throw new AuthShellError("config_error", "The authority must use https");
  }
  const path = parsed.pathname.replace(/\/+$/, "");
  const tenant = path.split("/").filter(Boolean)[0];
  if (!tenant) throw new AuthShellError("config_error", "The authority must name a tenant");
  const url = `${parsed.origin}${path}`;
  return {
    url,
    host: parsed.host,
    tenant,
    authorizeEndpoint: `${url}/oauth2/v2.0/authorize`,
    tokenEndpoint: `${url}/oauth2/v2.0/token`,
    logoutEndpoint: `${url}/oauth2/v2.0/logout`,
    tokenGateKey: idpGateKey(parsed.host, tenant, "token"),
  };
}
