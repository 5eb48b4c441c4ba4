import { AuthShellError } from "../errors.js";
import { base64UrlDecodeText } from "./base64url.js";

/** `client_info` (base64url JSON `{uid, utid}`) → `homeAccountId` = `uid.utid`. */
export function homeAccountIdFrom(clientInfo: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(base64UrlDecodeText(clientInfo));
  } catch {
    throw new AuthShellError("invalid_response", "client_info is not base64url JSON");
  }
  const info = parsed as { uid?: unknown; utid?: unknown } | null;
  if (!info || typeof info.uid !== "string" || typeof info.utid !== "string" || !info.uid || !info.utid) {
    throw new AuthShellError("invalid_response", "client_info lacks uid/utid");
  }
  return `${info.uid}.${info.utid}`;
}

/** Fallback when the IdP sent no client_info: `oid.tid` from the ID token (as MSAL does). */
export function homeAccountIdFromClaims(claims: Record<string, unknown>): string | undefined {
  const oid = typeof claims.oid === "string" ? claims.oid : typeof claims.sub === "string" ? claims.sub : undefined;
  const tid = typeof claims.tid === "string" ? claims.tid : undefined;
  return oid && tid ? `${oid}.${tid}` : undefined;
}
