import type { AuthShellError, ErrorCode } from "../errors.js";
import { encodeWait } from "./naa-wait.js";
import { NaaStatus, type NaaBridgeError, type NaaStatusCode } from "./naa-wire.js";

const STATUS_BY_CODE: Readonly<Record<ErrorCode, NaaStatusCode>> = {
  interaction_required: NaaStatus.UserInteractionRequired,
  login_required: NaaStatus.UserInteractionRequired,
  consent_required: NaaStatus.UserInteractionRequired,
  invalid_grant: NaaStatus.UserInteractionRequired,
  user_cancelled: NaaStatus.UserCancel,
  // The app must start sign-in again from a click: "prompt again", which a click handler can do.
  popup_blocked: NaaStatus.UserInteractionRequired,
  sign_in_timeout: NaaStatus.UserCancel,
  // A prompt was just cancelled or failed: tell the app "cancelled", not "prompt again".
  interaction_cooldown: NaaStatus.UserCancel,
  no_account: NaaStatus.AccountUnavailable,
  throttled: NaaStatus.TransientError,
  idp_unavailable: NaaStatus.TransientError,
  timeout: NaaStatus.TransientError,
  storage_error: NaaStatus.TransientError,
  network_error: NaaStatus.NoNetwork,
  state_mismatch: NaaStatus.PersistentError,
  nonce_mismatch: NaaStatus.PersistentError,
  invalid_response: NaaStatus.PersistentError,
  idp_error: NaaStatus.PersistentError,
  invalid_request: NaaStatus.PersistentError,
  not_granted: NaaStatus.Disabled,
  disabled: NaaStatus.Disabled,
  client_not_allowed: NaaStatus.PersistentError,
  scope_not_allowed: NaaStatus.PersistentError,
  // The person said no (or did not answer): MSAL's user_cancelled, not "prompt again".
  scope_declined: NaaStatus.UserCancel,
  over_budget: NaaStatus.TransientError,
  config_error: NaaStatus.PersistentError,
  internal_error: NaaStatus.PersistentError,
};

export function naaStatusFor(code: ErrorCode): NaaStatusCode {
  return STATUS_BY_CODE[code];
}

/**
 * The msal-browser `BridgeError` for an AuthShellError. `code` is the IdP's error when there was
 * one (MSAL turns it into the InteractionRequiredAuthError / ServerError code), else ours;
 * throttling and backoff put the wait into `properties.retryAfterMs` and, because MSAL drops
 * `properties` on its way to the app, into the description too (the one encoding of naa-wait.ts).
 */
export function toNaaBridgeError(error: AuthShellError): NaaBridgeError {
  // A store that could not be recovered (storage_error, not retryable) will not heal by retrying.
  const status = error.code === "storage_error" && !error.retryable ? NaaStatus.PersistentError : naaStatusFor(error.code);
  const properties: Record<string, string | number | boolean> = { code: error.code, retryable: error.retryable };
  let description = error.message;
  if (error.retryAfterMs !== undefined) {
    properties.retryAfterMs = error.retryAfterMs;
    description = encodeWait(description, error.retryAfterMs);
  }
  if (error.correlationId) properties.correlationId = error.correlationId;
  if (error.idpErrorCode !== undefined) properties.aadsts = error.idpErrorCode;
  if (error.claims) properties.claims = error.claims;
  const out: NaaBridgeError = { status, code: error.idpError ?? error.code, description, properties };
  if (error.suberror) out.subError = error.suberror;
  return out;
}
