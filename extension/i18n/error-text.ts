/**
 * A failed call in the user's words: the AuthShellError's stable code — and its wait, where it has
 * one — becomes one translated sentence ("The sign-in service asked us to slow down. Try again in
 * 45 seconds."). The error's message is the worker's English note for developers and may name
 * internal gate keys ("Requests to idp:localhost:…/token are paused for 60 s"), so it is not shown —
 * except for refusals that carry `fields`: the settings and grant validators write those messages
 * for the user, in the user's language (extension/broker/settings-sentences.ts, background/config.ts,
 * background/grants.ts), and they say more than any sentence per code could.
 */
import { AuthShellError, type ErrorCode } from "../../shared/errors.js";
import { formatWait, textLanguage } from "./status-text.js";
import { t } from "./translate.js";

const signInAgain = () => t("error_sign_in_again");
const badAnswer = () => t("error_bad_answer");
const notAllowed = () => t("error_not_allowed");

/**
 * One sentence per code. A Record over every ErrorCode, so a new code does not compile without its
 * sentence; each key is written out, so the locale check (translate.test.ts) sees every one.
 */
const SENTENCES: Record<ErrorCode, (error: AuthShellError) => string> = {
  interaction_required: signInAgain,
  login_required: signInAgain,
  invalid_grant: signInAgain,
  consent_required: () => t("error_consent"),
  user_cancelled: () => t("error_cancelled"),
  popup_blocked: () => t("error_popup_blocked"),
  sign_in_timeout: () => t("error_sign_in_timeout"),
  interaction_cooldown: () => t("error_cooldown"),
  no_account: () => t("error_no_account"),
  throttled: () => t("error_throttled"),
  idp_unavailable: () => t("error_unavailable"),
  timeout: () => t("error_timeout"),
  network_error: () => t("error_network"),
  state_mismatch: badAnswer,
  nonce_mismatch: badAnswer,
  invalid_response: badAnswer,
  // The AADSTS number is what an administrator looks up; the IdP's own description is English.
  idp_error: (e) => (e.idpErrorCode !== undefined ? t("error_idp_refused_code", e.idpErrorCode) : t("error_idp_refused")),
  invalid_request: () => t("error_bad_request"),
  not_granted: notAllowed,
  client_not_allowed: notAllowed,
  scope_not_allowed: notAllowed,
  scope_declined: () => t("error_scope_declined"),
  over_budget: () => t("error_over_budget"),
  disabled: () => t("error_disabled"),
  config_error: () => t("error_config"),
  storage_error: () => t("error_storage"),
  internal_error: () => t("error_internal"),
};

/** An AuthShellError, or its plain form (as the channel carries it); anything else is not one. */
function asShellError(error: unknown): AuthShellError | undefined {
  if (error instanceof AuthShellError) return error;
  if (typeof error === "object" && error !== null && (error as { name?: unknown }).name === "AuthShellError") return AuthShellError.fromPlain(error);
  return undefined;
}

/** What to tell the user about a failed call (the popup's and options page's one place for it). */
export function errorSentence(error: unknown, lang = textLanguage()): string {
  const shellError = asShellError(error);
  // Not ours (a Chrome API refusing, say): its message is all there is.
  if (!shellError) return error instanceof Error ? error.message : String(error);
  if (shellError.fields && Object.keys(shellError.fields).length > 0 && shellError.message) return shellError.message;
  const sentence = SENTENCES[shellError.code](shellError);
  const wait = shellError.retryAfterMs;
  const next = wait !== undefined && wait > 0 ? t("error_retry_in", formatWait(wait, lang)) : shellError.retryable ? t("error_retry") : "";
  return next ? `${sentence} ${next}` : sentence;
}
