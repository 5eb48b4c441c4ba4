/**
 * The words for a StatusSummary (shared/protocol/status-summary.ts): one plain sentence, waits as a
 * counting-down time ("0:42"), moments as a local time with a relative phrase ("14:05, in 52
 * minutes"). Shared by the popup and the worker's toolbar badge, so both say the same thing.
 * Formatting takes `now` and the language, never the wall clock.
 */
import type { StatusState, StatusSummary } from "../protocol/status-summary.js";
import { t, uiLanguage } from "./translate.js";

/**
 * The language the extension's texts are actually shown in (the `_locales` folder Chrome picked),
 * for <html lang> and for the dates and numbers inside those texts. Chrome's UI language can differ
 * (e.g. "en-US" while `--lang=de` chose the German texts); a German sentence needs a German date.
 */
export function textLanguage(): string {
  const lang = t("status_text_language");
  return lang === "status_text_language" ? uiLanguage() : lang;
}

/** A wait as m:ss (h:mm:ss from an hour), rounded up so "0:00" never shows while still waiting. */
export function formatCountdown(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${s}` : `${m}:${s}`;
}

/**
 * A wait in words for a sentence ("45 seconds", "2 minutes", "45 Sekunden"): the coarsest unit that
 * still reads exactly enough, rounded up so a live wait never reads "0 seconds". For a one-off
 * sentence such as an error; the header's live countdown uses formatCountdown.
 */
export function formatWait(ms: number, lang = textLanguage()): string {
  const seconds = Math.max(1, Math.ceil(ms / 1000));
  const [value, unit] = seconds < 90 ? [seconds, "second"] : seconds < 90 * 60 ? [Math.ceil(seconds / 60), "minute"] : [Math.ceil(seconds / 3600), "hour"];
  return new Intl.NumberFormat(lang, { style: "unit", unit, unitDisplay: "long" }).format(value);
}

/** A local time; with the weekday and date when it is not today. */
export function formatClock(at: number, now: number, lang = textLanguage()): string {
  const sameDay = new Date(at).toDateString() === new Date(now).toDateString();
  const options: Intl.DateTimeFormatOptions = sameDay
    ? { hour: "numeric", minute: "2-digit" }
    : { weekday: "short", day: "numeric", month: "short", hour: "numeric", minute: "2-digit" };
  return new Intl.DateTimeFormat(lang, options).format(at);
}

/** "in 52 minutes", "3 hours ago", "tomorrow" — the coarsest unit that still reads exactly enough. */
export function formatRelative(at: number, now: number, lang = textLanguage()): string {
  const format = new Intl.RelativeTimeFormat(lang, { numeric: "auto" });
  const seconds = (at - now) / 1000;
  const abs = Math.abs(seconds);
  if (abs < 60) return format.format(Math.round(seconds), "second");
  if (abs < 90 * 60) return format.format(Math.round(seconds / 60), "minute");
  if (abs < 48 * 3600) return format.format(Math.round(seconds / 3600), "hour");
  return format.format(Math.round(seconds / 86_400), "day");
}

/** "14:05, in 52 minutes". */
export function formatWhen(at: number, now: number, lang = textLanguage()): string {
  return t("status_when", formatClock(at, now, lang), formatRelative(at, now, lang));
}

export function stateLabel(state: StatusState): string {
  switch (state) {
    case "signed_out":
      return t("status_state_signed_out");
    case "ok":
      return t("status_state_ok");
    case "throttled":
      return t("status_state_throttled");
    case "backing_off":
      return t("status_state_backing_off");
    case "offline":
      return t("status_state_offline");
    case "needs_sign_in":
      return t("status_state_needs_sign_in");
  }
}

/** The one sentence of the popup header and the badge's tooltip. */
export function summarySentence(summary: StatusSummary, now: number, lang = textLanguage()): string {
  const wait = summary.retryAt !== undefined && summary.retryAt > now ? formatCountdown(summary.retryAt - now) : undefined;
  const who = summary.account?.username ?? t("status_your_account");
  switch (summary.state) {
    case "signed_out":
      return t("status_sentence_signed_out");
    case "ok":
      return summary.expiresOn !== undefined
        ? t("status_sentence_ok", who, formatWhen(summary.expiresOn, now, lang))
        : t("status_sentence_ok_no_token", who);
    case "throttled":
      return wait ? t("status_sentence_throttled", wait) : t("status_sentence_throttled_now");
    case "backing_off":
      return wait ? t("status_sentence_backing_off", wait) : t("status_sentence_backing_off_now");
    case "offline":
      return t("status_sentence_offline");
    case "needs_sign_in":
      return t("status_sentence_needs_sign_in", who);
  }
}
