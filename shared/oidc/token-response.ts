import { AuthShellError } from "../errors.js";

/** A successful token-endpoint response, validated. Token values are opaque strings (R1). */
export interface TokenEndpointResponse {
  accessToken: string;
  refreshToken?: string;
  idToken?: string;
  clientInfo?: string;
  /** Scopes as the IdP granted them (space-separated in the wire form). */
  scopes: string[];
  expiresInSec: number;
  extExpiresInSec?: number;
  refreshInSec?: number;
}

function seconds(value: unknown): number | undefined {
  const n = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
  return typeof n === "number" && Number.isFinite(n) && n >= 0 ? n : undefined;
}

function optionalString(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

/** Parses the JSON body of a 200 token response; anything unusable is 'invalid_response'. */
export function parseTokenResponse(text: string): TokenEndpointResponse {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new AuthShellError("invalid_response", "The token response is not JSON");
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new AuthShellError("invalid_response", "The token response is not a JSON object");
  }
  const b = body as Record<string, unknown>;
  const accessToken = optionalString(b.access_token);
  if (!accessToken) throw new AuthShellError("invalid_response", "The token response has no access_token");
  if (b.token_type !== undefined && (typeof b.token_type !== "string" || b.token_type.toLowerCase() !== "bearer")) {
    throw new AuthShellError("invalid_response", "The token response is not a Bearer token");
  }
  const expiresInSec = seconds(b.expires_in);
  if (expiresInSec === undefined || expiresInSec === 0) {
    throw new AuthShellError("invalid_response", "The token response has no usable expires_in");
  }
  const out: TokenEndpointResponse = {
    accessToken,
    scopes: typeof b.scope === "string" ? b.scope.split(/\s+/).filter(Boolean) : [],
    expiresInSec,
  };
  const refreshToken = optionalString(b.refresh_token);
  if (refreshToken) out.refreshToken = refreshToken;
  const idToken = optionalString(b.id_token);
  if (idToken) out.idToken = idToken;
  const clientInfo = optionalString(b.client_info);
  if (clientInfo) out.clientInfo = clientInfo;
  const ext = seconds(b.ext_expires_in);
  if (ext !== undefined) out.extExpiresInSec = ext;
  const refreshIn = seconds(b.refresh_in);
  if (refreshIn !== undefined && refreshIn > 0) out.refreshInSec = refreshIn;
  return out;
}
