import type { ExtensionEvent } from "../../../shared/events.js";
import type { StatusView } from "../../protocol/views.js";
import { t } from "../../i18n/translate.js";
import { eventSentence } from "./diagnostics-events.js";
import { formatWhen, textLanguage } from "../../i18n/status-text.js";

/** A short code from an event's detail (an AuthShellError code), shown beside the type. */
function detailCode(event: ExtensionEvent): string | undefined {
  const code = (event.detail as { code?: unknown } | undefined)?.code;
  return typeof code === "string" && code.length <= 60 ? code : undefined;
}

/** The broker's recent events, newest first. The list scrolls, so it takes focus (axe: scrollable-region-focusable). */
function EventLog({ events }: { events: ExtensionEvent[] | undefined }) {
  const time = new Intl.DateTimeFormat(textLanguage(), { hour: "numeric", minute: "2-digit", second: "2-digit" });
  const list = [...(events ?? [])].reverse();
  return (
    <>
      {list.length === 0 && <p className="muted">{t("popup_diag_log_empty")}</p>}
      <ol data-testid="event-log" className="log" tabIndex={0} aria-label={t("popup_diag_log_label")}>
        {list.map((e, i) => {
          const code = detailCode(e);
          return (
            <li key={`${e.at}-${i}`} data-type={e.type}>
              <span>{eventSentence(e.type)}</span>
              <span className="muted small">
                {time.format(e.at)} · <code>{e.type}</code>
                {code ? <> · <code>{code}</code></> : null}
              </span>
            </li>
          );
        })}
      </ol>
    </>
  );
}

/**
 * The event log and the next alarm, folded away behind "Diagnostics": a sentence per event, with the
 * event's code and time as detail. The broker's own message is not shown, not even as a tooltip: it
 * is English for developers and may name internal keys (`idp:<host>/<tenant>/token`).
 */
export function DiagnosticsPanel({ status, events }: { status: StatusView | undefined; events: ExtensionEvent[] | undefined }) {
  const now = status?.now ?? 0;
  return (
    <details data-testid="diagnostics" className="diagnostics">
      <summary>{t("popup_diag_summary")}</summary>
      <p className="muted">
        {status?.nextAlarmAt !== undefined ? t("popup_diag_next_alarm", formatWhen(status.nextAlarmAt, now)) : t("popup_diag_no_alarm")}
      </p>
      <EventLog events={events} />
    </details>
  );
}

/** The log as its own section (the options page shows it unfolded). */
export function EventLogPanel({ events }: { events: ExtensionEvent[] | undefined }) {
  return (
    <section aria-labelledby="event-log-heading">
      <h2 id="event-log-heading">{t("popup_diag_log_label")}</h2>
      <EventLog events={events} />
    </section>
  );
}
