import { AuthShellError } from "../errors.js";
import { mapEntraError } from "./entra-errors.js";

export interface AuthorizationCodeResult {
  code: string;
  state: string;
  /** `client_info` when the IdP put it on the redirect. */
  clientInfo?: string;
}

function paramsOf(url: URL): URLSearchParams {
  const fragment = url.hash.startsWith("#") ? url.hash.slice(1) : url.hash;
  const fromFragment = new URLSearchParams(fragment);
  if (fromFragment.has("code") || fromFragment.has("error") || fromFragment.has("state")) return fromFragment;
  return url.searchParams;
}

/**
 * Reads the authorization response from the URL the IdP redirected to (`response_mode` fragment
 * or query). The `state` must equal `expectedState` (else 'state_mismatch', checked before
 * anything else is trusted); IdP error parameters become the mapped AuthShellError.
 */
export function parseRedirectResult(redirectUrl: string, expectedState: string): AuthorizationCodeResult {
  let url: URL;
  try {
    url = new URL(redirectUrl);
  } catch {
    throw new AuthShellError("invalid_response", "The redirect URL is not a valid URL");
  }
  const params = paramsOf(url);
  const state = params.get("state");
  if (state === null || state !== expectedState) {
    throw new AuthShellError("state_mismatch", "The authorization response does not match the request (state)");
  }
  const error = params.get("error");
  if (error) {
    const codes = (params.get("error_codes") ?? "")
      .replace(/[[\]\s]/g, "")
      .split(",")
      .filter(Boolean)
      .map(Number);
    throw mapEntraError(400, {
      error,
      error_description: params.get("error_description") ?? undefined,
      error_codes: codes,
      suberror: params.get("suberror") ?? undefined,
      correlation_id: params.get("correlation_id") ?? undefined,
    });
  }
  const code = params.get("code");
  if (!code) throw new AuthShellError("invalid_response", "The authorization response has no code");
  const clientInfo = params.get("client_info");
  return clientInfo ? { code, state, clientInfo } : { code, state };
}
