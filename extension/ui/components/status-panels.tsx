import { accountsNeedingSignIn } from "../../protocol/status-summary.js";
import type { GateSubject, StatusView } from "../../protocol/views.js";
import { t } from "../../i18n/translate.js";
// The options page still imports the log from here.
export { EventLogPanel } from "./diagnostics.js";
import { formatCountdown, formatRelative, formatWhen } from "../../i18n/status-text.js";

/**
 * Cached tokens in words: what they are for, until when, and whether they renew — never token values.
 * A token of an account whose sign-in ended is not "valid until" anything a user can rely on: it is
 * not renewed, and services that learn of the revocation (CAE) refuse it.
 */
export function CachePanel({ status }: { status: StatusView | undefined }) {
  const entries = status?.cache ?? [];
  const now = status?.now ?? 0;
  const ended = status ? accountsNeedingSignIn(status) : new Map<string, string>();
  return (
    <section data-testid="cache-status" data-entries={entries.length} aria-labelledby="cache-heading">
      <h2 id="cache-heading">{t("popup_tokens_heading")}</h2>
      {entries.length === 0 ? (
        <p className="muted">{t("popup_tokens_none")}</p>
      ) : (
        <ul className="stack">
          {entries.map((e) => {
            const scopes = e.scopes.join(" ");
            return (
              <li key={`${e.homeAccountId}|${e.clientId}|${scopes}|${e.claimsBound}`} className="token" data-sign-in-ended={ended.has(e.homeAccountId) ? "true" : "false"}>
                <span className="clip" title={scopes}>
                  {scopes}
                  {e.claimsBound ? ` ${t("popup_token_claims")}` : ""}
                </span>
                <span className={ended.has(e.homeAccountId) ? "error" : "muted"}>
                  {ended.has(e.homeAccountId)
                    ? t("popup_token_sign_in_ended")
                    : e.expiresOn > now
                      ? t("popup_token_valid_until", formatWhen(e.expiresOn, now))
                      : t("popup_token_expired", formatRelative(e.expiresOn, now))}
                  {" · "}
                  {e.hasRefreshToken ? t("popup_token_rt_yes") : t("popup_token_rt_no")}
                </span>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

/** What a wait holds back, in words: the token endpoint → "Token requests", a resource → its host. */
function subjectText(subject: GateSubject): string {
  if (subject.kind === "resource") return t("popup_subject_resource", subject.host);
  if (subject.endpoint === "token") return t("popup_subject_token");
  if (subject.endpoint === "authorize") return t("popup_subject_authorize");
  return t("popup_subject_metadata");
}

/** Every wait the broker is keeping, as counting-down times; one line when there is none. */
export function ThrottlePanel({ status }: { status: StatusView | undefined }) {
  const now = status?.now ?? 0;
  const gates = (status?.gates ?? []).filter((g) => g.closedUntil > now);
  const breakers = (status?.breakers ?? []).filter((b) => b.phase !== "closed");
  const silent = (status?.silent ?? []).filter((s) => s.kind === "failed" && s.until > now);
  const cooling = status?.cooldownUntil !== undefined && status.cooldownUntil > now;
  const nothing = gates.length === 0 && breakers.length === 0 && silent.length === 0 && !cooling;
  return (
    <section data-testid="throttle-status" data-throttled={gates.length > 0} data-breakers={breakers.length} aria-labelledby="waits-heading">
      <h2 id="waits-heading">{t("popup_waits_heading")}</h2>
      {nothing ? (
        <p className="muted">{t("popup_waits_none")}</p>
      ) : (
        <ul className="stack">
          {gates.map((g, i) => (
            <li key={`gate-${i}`}>{t("popup_wait_gate", subjectText(g.subject), formatCountdown(g.closedUntil - now))}</li>
          ))}
          {breakers.map((b, i) => (
            <li key={`breaker-${i}`}>
              {b.openUntil !== undefined && b.openUntil > now
                ? t("popup_wait_breaker", subjectText(b.subject), formatCountdown(b.openUntil - now))
                : t("popup_wait_breaker_probe", subjectText(b.subject))}
            </li>
          ))}
          {silent.map((s, i) => (
            <li key={`silent-${i}`}>{t("popup_wait_silent", formatCountdown(s.until - now))}</li>
          ))}
          {cooling && <li>{t("popup_wait_cooldown", formatCountdown(status.cooldownUntil! - now))}</li>}
        </ul>
      )}
    </section>
  );
}
