import { AuthShellError, type ErrorCode } from "../../../shared/errors.js";

/**
 * A plain-language sentence per error code: what happened and what the user can do. `{wait}` is
 * replaced by the time left ("12 s", or "a little while" when unknown), `{clientId}` by the app's client ID
 * (the shell passes its own). Never includes token values.
 */
export const ERROR_DESCRIPTIONS: Readonly<Record<ErrorCode, string>> = {
  interaction_required: "Your session needs you to sign in again. Select “Sign in” to continue.",
  login_required: "Your session needs you to sign in again. Select “Sign in” to continue.",
  consent_required: "This app needs your permission first. Select “Sign in” to review and accept it.",
  invalid_grant: "Your session needs you to sign in again. Select “Sign in” to continue.",
  user_cancelled: "The sign-in window was closed before sign-in finished. Select “Sign in” to try again.",
  popup_blocked: "Your browser blocked the sign-in window. Select “Sign in” (a button or link) to open it.",
  sign_in_timeout: "Sign-in was not finished in time, so its window was closed. Select “Sign in” to try again.",
  interaction_cooldown: "Sign-in was just cancelled; wait {wait} before trying again.",
  no_account: "You are not signed in. Select “Sign in” to continue.",
  throttled: "The service asked us to slow down. We will not contact it for {wait}; try again after that.",
  idp_unavailable: "The service is having trouble right now. Try again in {wait}.",
  timeout: "The service did not answer in time. Check your connection and try again.",
  network_error: "We could not reach the service. Check your network connection and try again.",
  state_mismatch: "Sign-in could not be verified (the answer did not match our request). Select “Sign in” to try again.",
  nonce_mismatch: "Sign-in could not be verified (the answer did not match our request). Select “Sign in” to try again.",
  invalid_response: "The service sent an answer we could not read. Try again in a moment.",
  idp_error: "The sign-in service reported a problem. Try again; if it keeps happening, contact the site's administrator.",
  invalid_request: "The app made a request the sign-in service cannot handle. Contact the site's administrator.",
  not_granted: "The browser extension does not allow this site to get tokens. Allow the site in the extension's popup, then reload.",
  client_not_allowed: "The browser extension allows this site, but not for this app's client ID {clientId}. Add {clientId} to the site's client IDs under “Allowed sites” in the extension's options page, then reload.",
  scope_not_allowed: "The browser extension does not allow this site to get tokens. Allow the site in the extension's popup, then reload.",
  scope_declined: "Permission for what this app asked was not given in the browser extension. Ask again when you want to allow it.",
  over_budget: "This site asked the browser extension for tokens too often. Try again in {wait}.",
  disabled: "The browser extension is turned off for this site. Turn it on in the extension's popup, then reload.",
  config_error: "The app is not configured correctly (client ID or authority). Contact the site's administrator.",
  storage_error: "The browser would not let us store sign-in data. Check that site data is allowed, then reload.",
  internal_error: "Something went wrong while signing you in. Reload the page and try again; if it keeps happening, contact support.",
};

function seconds(ms: number | undefined): string {
  return ms === undefined ? "a little while" : `${Math.max(1, Math.ceil(ms / 1000))} s`;
}

/**
 * The sentence for `error` (anything thrown becomes an AuthShellError first). `remainingMs`, when
 * given, replaces the error's own `retryAfterMs` so a display can count the wait down.
 */
export function describeError(error: unknown, remainingMs?: number, context: { clientId?: string } = {}): string {
  const failure = AuthShellError.from(error);
  const text = ERROR_DESCRIPTIONS[failure.code] ?? ERROR_DESCRIPTIONS.internal_error;
  return text.replace("{wait}", seconds(remainingMs ?? failure.retryAfterMs)).replaceAll("{clientId}", context.clientId ?? "the app's client ID");
}
