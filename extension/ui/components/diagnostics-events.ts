/**
 * One plain sentence per event type the extension can log, for the Diagnostics list; the type itself
 * (a stable code) is shown only as detail. Keyed by the closed list in shared/events.ts, so a new
 * event without its sentence fails to compile; each key is written out, so the locale check sees every one.
 */
import type { ExtensionEventType } from "../../../shared/events.js";
import { t } from "../../i18n/translate.js";

const SENTENCES: Record<ExtensionEventType, () => string> = {
  "worker.start": () => t("popup_event_worker_start"),
  "config.saved": () => t("popup_event_config_saved"),
  "config.policy_applied": () => t("popup_event_config_policy_applied"),
  "config.policy_error": () => t("popup_event_config_policy_error"),
  "config.budgets_unreadable": () => t("popup_event_config_budgets_unreadable"),
  "grants.added": () => t("popup_event_grant_added"),
  "grants.removed": () => t("popup_event_grant_removed"),
  "grants.sync_failed": () => t("popup_event_grants_sync_failed"),
  "grants.adopted": () => t("popup_event_grants_adopted"),
  "grants.adopt_skipped": () => t("popup_event_grants_adopt_failed"),
  "grants.adopt_failed": () => t("popup_event_grants_adopt_failed"),
  "naa.token": () => t("popup_event_naa_token"),
  "naa.error": () => t("popup_event_naa_error"),
  "naa.dropped": () => t("popup_event_naa_dropped"),
  "naa.scope_decision": () => t("safety_event_scope_decision"),
  "account.signed_in": () => t("popup_event_signed_in"),
  "account.signed_out": () => t("popup_event_signed_out"),
  "account.switched": () => t("popup_event_account_switched"),
  "account.logout_page": () => t("popup_event_logout_page"),
  "identity.window_record_failed": () => t("popup_event_window_record_failed"),
  "identity.orphaned_window_closed": () => t("popup_event_orphaned_window_closed"),
  "alarm.refresh": () => t("popup_event_alarm_refresh"),
  "alarm.refresh_failed": () => t("popup_event_alarm_refresh_failed"),
  "alarm.schedule_failed": () => t("popup_event_alarm_schedule_failed"),
  "broker.not_ready": () => t("popup_event_broker_not_ready"),
  "storage.connection_lost": () => t("popup_event_storage_problem"),
  "storage.entry_dropped": () => t("popup_event_storage_problem"),
  "storage.reset": () => t("popup_event_storage_reset"),
  "storage.write_failed": () => t("popup_event_state_not_saved"),
  "http.throttled": () => t("popup_event_throttled"),
  "http.request": () => t("popup_event_http_request"),
  "http.retry": () => t("popup_event_http_retry"),
  "http.failed": () => t("popup_event_request_failed"),
  "chain.step_start": () => t("popup_event_step_start"),
  "chain.step_token": () => t("popup_event_step_token"),
  "chain.step_fall_through": () => t("popup_event_step_fall_through"),
  "chain.step_failed": () => t("popup_event_step_failed"),
  "chain.served_cached": () => t("popup_event_served_cached"),
  "chain.served_from_other_sign_in": () => t("popup_event_served_other_sign_in"),
  "chain.forced_refresh_limited": () => t("popup_event_forced_refresh_limited"),
  "chain.code_redemption_lost": () => t("popup_event_code_redemption_lost"),
  "chain.authorize_throttled": () => t("popup_event_throttled"),
  "authorize.probed": () => t("popup_event_authorize_probed"),
  "naa.grants_unreadable": () => t("popup_event_grants_unreadable"),
  "activity.write_failed": () => t("popup_event_activity_write_failed"),
  "silent.paused": () => t("popup_event_silent_paused"),
  "refresh.redeem": () => t("popup_event_refresh_token_redeem"),
  "refresh.owed": () => t("popup_event_refresh_owed"),
  "refresh.background_failed": () => t("popup_event_background_refresh_failed"),
  "badge.update_failed": () => t("popup_event_badge_failed"),
};

export function eventSentence(type: ExtensionEventType): string {
  return SENTENCES[type]();
}
