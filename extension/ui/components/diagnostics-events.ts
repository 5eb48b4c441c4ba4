/**
 * One plain sentence per broker event type for the Diagnostics log; the type itself (a stable code)
 * is shown only as detail. Each key is written out, so the locale check sees every one.
 */
import { t } from "../../i18n/translate.js";

const SENTENCES: Record<string, () => string> = {
  "worker.start": () => t("popup_event_worker_start"),
  "config.saved": () => t("popup_event_config_saved"),
  "config.policy_applied": () => t("popup_event_config_policy_applied"),
  "config.policy_error": () => t("popup_event_config_policy_error"),
  "grant.added": () => t("popup_event_grant_added"),
  "grant.removed": () => t("popup_event_grant_removed"),
  "grants.sync_failed": () => t("popup_event_grants_sync_failed"),
  "naa.token": () => t("popup_event_naa_token"),
  "naa.error": () => t("popup_event_naa_error"),
  "naa.dropped": () => t("popup_event_naa_dropped"),
  "naa.scope_decision": () => t("safety_event_scope_decision"),
  "account.signed_in": () => t("popup_event_signed_in"),
  "account.signed_out": () => t("popup_event_signed_out"),
  signed_out: () => t("popup_event_signed_out"),
  "account.logout_page": () => t("popup_event_logout_page"),
  "alarm.refresh": () => t("popup_event_alarm_refresh"),
  "alarm.refresh_failed": () => t("popup_event_alarm_refresh_failed"),
  "alarm.schedule_failed": () => t("popup_event_alarm_schedule_failed"),
  "broker.not_ready": () => t("popup_event_broker_not_ready"),
  "storage.connection_lost": () => t("popup_event_storage_problem"),
  "storage.entry_dropped": () => t("popup_event_storage_problem"),
  "storage.reset": () => t("popup_event_storage_reset"),
  storage_write_failed: () => t("popup_event_state_not_saved"),
  gate_persist_failed: () => t("popup_event_state_not_saved"),
  silent_backoff_not_saved: () => t("popup_event_state_not_saved"),
  throttled: () => t("popup_event_throttled"),
  http_request: () => t("popup_event_http_request"),
  http_retry: () => t("popup_event_http_retry"),
  request_failed: () => t("popup_event_request_failed"),
  step_start: () => t("popup_event_step_start"),
  step_token: () => t("popup_event_step_token"),
  step_fall_through: () => t("popup_event_step_fall_through"),
  step_failed: () => t("popup_event_step_failed"),
  refresh_token_redeem: () => t("popup_event_refresh_token_redeem"),
  refresh_owed: () => t("popup_event_refresh_owed"),
  background_refresh_failed: () => t("popup_event_background_refresh_failed"),
  served_cached_during_outage: () => t("popup_event_served_cached"),
  served_from_other_sign_in: () => t("popup_event_served_other_sign_in"),
  silent_authorize_paused: () => t("popup_event_silent_paused"),
  forced_refresh_limited: () => t("popup_event_forced_refresh_limited"),
  "badge.update_failed": () => t("popup_event_badge_failed"),
};

export function eventSentence(type: string): string {
  return (SENTENCES[type] ?? (() => t("popup_event_other")))();
}
