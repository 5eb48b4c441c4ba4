import { summarizeStatus } from "../../protocol/status-summary.js";
import type { StatusView } from "../../protocol/views.js";
import { t } from "../../i18n/translate.js";
import { stateLabel, summarySentence } from "../../i18n/status-text.js";

/**
 * The popup's header: one state and one sentence (shared/protocol/status-summary.ts). Only the state
 * label is a live region — the sentence counts down every second and must not be read out each time.
 */
export function StatusSummaryHeader({ status, online }: { status: StatusView | undefined; online: boolean }) {
  if (!status) {
    return (
      <section data-testid="status-summary" data-state="loading" className="summary" aria-busy="true">
        <p className="summary-sentence">{t("status_loading")}</p>
      </section>
    );
  }
  const summary = summarizeStatus(status, { now: status.now, online });
  const label = stateLabel(summary.state);
  return (
    <section data-testid="status-summary" data-state={summary.state} className={`summary summary-${summary.state}`} aria-label={label}>
      <p className="summary-state" role="status">
        <span className="summary-dot" aria-hidden="true" />
        {label}
      </p>
      <p data-testid="status-sentence" className="summary-sentence">
        {summarySentence(summary, status.now)}
      </p>
      {summary.code && <p className="muted small">{t("popup_detail_code", summary.code)}</p>}
    </section>
  );
}
