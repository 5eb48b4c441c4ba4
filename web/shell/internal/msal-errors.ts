import { AuthError, InteractionRequiredAuthError } from "@azure/msal-browser";
import { AuthShellError, isErrorCode } from "../../../shared/errors.js";
import { decodeWait } from "../../../shared/protocol/naa-wait.js";

/**
 * Translates what MSAL throws (in either mode) into the project's one error type. `lastFailure` is the
 * resilience failure our network module saw, which MSAL itself reports only as a generic network error.
 */
export function toShellError(error: unknown, lastFailure?: AuthShellError): AuthShellError {
  if (error instanceof AuthShellError) return error;
  if (lastFailure) return lastFailure;
  if (error instanceof InteractionRequiredAuthError) {
    return new AuthShellError("interaction_required", error.errorMessage || "The identity provider needs you to sign in", {
      ...(error.claims ? { claims: error.claims } : {}),
      idpError: error.errorCode,
      cause: error,
    });
  }
  if (error instanceof AuthError) {
    const code = error.errorCode;
    if (isErrorCode(code)) {
      // Our code came over the bridge: the wait is data in the description (shared/protocol/naa-wait.ts).
      const { sentence, retryAfterMs } = decodeWait(error.errorMessage);
      return new AuthShellError(code, sentence || code, { ...(retryAfterMs !== undefined ? { retryAfterMs } : {}), cause: error });
    }
    if (code === "user_cancelled" || code === "user_canceled") return new AuthShellError("user_cancelled", "The sign-in window was closed", { cause: error });
    if (code === "no_network_connectivity" || code === "network_error") return new AuthShellError("network_error", "No network connection", { cause: error });
    if (code === "no_account_found" || code === "no_account_error") return new AuthShellError("no_account", "No signed-in account", { cause: error });
    // window.open returned null (a popup blocker: no click started the sign-in) or threw.
    if (code === "popup_window_error" || code === "empty_window_error") return new AuthShellError("popup_blocked", "The browser blocked the sign-in window", { cause: error });
    // MSAL's own wait for the sign-in window (popupBridgeTimeout) ran out: nothing the IdP did.
    if (code === "timed_out") return new AuthShellError("sign_in_timeout", "The sign-in window was not finished in time", { cause: error });
    if (code === "login_required" || code === "consent_required" || code === "interaction_required") {
      return new AuthShellError(code, error.errorMessage || code, { cause: error });
    }
    return new AuthShellError("idp_error", `${code}: ${error.errorMessage}`.slice(0, 300), { idpError: code, cause: error });
  }
  return AuthShellError.from(error);
}
