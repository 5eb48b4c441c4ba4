import { AuthShellError } from "../errors.js";
import { base64UrlDecodeText } from "./base64url.js";

/**
 * Decodes the payload of an ID token (a JWS compact serialisation). The signature is not checked
 * here, on purpose: the broker receives ID tokens only from the token endpoint, over TLS, in the
 * response to its own PKCE-bound code redemption or refresh request, which OIDC Core §3.1.3.7
 * (item 6) accepts in place of signature validation; the claims are used for display and UI gating
 * only, and every authorisation decision is made by resource servers on the access token. Access
 * tokens are never decoded at all (R1).
 */
export function decodeIdToken(jwt: string): Record<string, unknown> {
  const parts = jwt.split(".");
  if (parts.length !== 3 || !parts[1]) {
    throw new AuthShellError("invalid_response", "The ID token is not a compact JWT");
  }
  let payload: unknown;
  try {
    payload = JSON.parse(base64UrlDecodeText(parts[1]));
  } catch {
    throw new AuthShellError("invalid_response", "The ID token payload is not base64url JSON");
  }
  if (typeof payload !== "object" || payload === null || Array.isArray(payload)) {
    throw new AuthShellError("invalid_response", "The ID token payload is not a JSON object");
  }
  return payload as Record<string, unknown>;
}

/** Throws 'nonce_mismatch' unless the ID token carries exactly the nonce sent with the request. */
export function checkNonce(claims: Record<string, unknown>, expectedNonce: string): void {
  if (claims.nonce !== expectedNonce) {
    throw new AuthShellError("nonce_mismatch", "The ID token does not match the request (nonce)");
  }
}

/** Throws 'invalid_response' when the ID token was issued to another client. */
export function checkAudience(claims: Record<string, unknown>, clientId: string): void {
  const aud = claims.aud;
  const ok = Array.isArray(aud) ? aud.includes(clientId) : aud === clientId;
  if (!ok) throw new AuthShellError("invalid_response", "The ID token was issued to another client");
}
