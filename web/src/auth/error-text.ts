import type { AuthShellError } from "../../../shared/errors";

function seconds(ms: number | undefined): string {
  return ms === undefined ? "a little while" : `${Math.max(1, Math.ceil(ms / 1000))} s`;
}

/** A plain sentence for the user: what happened and what they can do. Never includes token values. */
export function describeError(error: AuthShellError): string {
  switch (error.code) {
    case "interaction_required":
    case "login_required":
    case "consent_required":
    case "invalid_grant":
      return "Your session needs you to sign in again. Select “Sign in” to continue.";
    case "no_account":
      return "You are not signed in. Select “Sign in” to continue.";
    case "user_cancelled":
      return "The sign-in window was closed before sign-in finished. Select “Sign in” to try again.";
    case "interaction_cooldown":
      return `Sign-in was just cancelled; wait ${seconds(error.retryAfterMs)} before trying again.`;
    case "throttled":
      return `The service asked us to slow down. We will not contact it for ${seconds(error.retryAfterMs)}; try again after that.`;
    case "idp_unavailable":
      return `The service is having trouble right now. We are retrying with increasing waits; try again in ${seconds(error.retryAfterMs)}.`;
    case "timeout":
      return "The service did not answer in time. Check your connection and try again.";
    case "network_error":
      return "We could not reach the service. Check your network connection and try again.";
    case "not_granted":
    case "client_not_allowed":
    case "scope_not_allowed":
    case "disabled":
      return "The browser extension does not allow this site to get tokens. Allow the site in the extension's popup, then reload.";
    case "config_error":
      return "The app is not configured correctly (client ID or authority). Contact the site's administrator.";
    default:
      return "Something went wrong while signing you in. Reload the page and try again; if it keeps happening, contact support.";
  }
}
