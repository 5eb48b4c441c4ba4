import { useState } from "react";
import type { BudgetFlag } from "../../../shared/resilience/origin-budget.js";
import { t } from "../../i18n/translate.js";
import { callBroker, errorText } from "../broker-client.js";
import { usePoll } from "./use-poll.js";
import { StatusLine, type PanelMessage } from "./status-line.js";

/** What a site did, in words with its numbers: which budget, how many asks, and the budget. */
function budgetSentence(flag: BudgetFlag): string {
  const key = {
    asks_per_second: "safety_over_asks",
    scope_sets_per_minute: "safety_over_scope_sets",
    forced_refreshes_per_minute: "safety_over_forced",
  } as const satisfies Record<BudgetFlag["budget"], string>;
  return t(key[flag.budget], flag.origin, flag.count, flag.limit);
}

/**
 * Sites that went over one of their per-origin budgets (issue 22): each with what it did and a
 * one-click "Remove this site" (its grant goes; its pages get nothing more). Nothing shows while no
 * site is flagged, so a well-behaved popup looks as before.
 */
export function OverBudgetPanel() {
  const flags = usePoll(() => callBroker({ kind: "getSiteFlags" }));
  const [message, setMessage] = useState<PanelMessage>();
  const remove = async (origin: string) => {
    try {
      await callBroker({ kind: "removeGrant", origin });
      setMessage({ text: t("grants_removed", origin), error: false });
    } catch (e) {
      setMessage({ text: t("grants_failed", errorText(e)), error: true });
    }
    flags.reload();
  };
  if (!flags.value?.length && !message) return null;
  return (
    <section data-testid="over-budget" aria-labelledby="over-budget-heading">
      <h2 id="over-budget-heading">{t("safety_over_budget_heading")}</h2>
      <ul className="stack">
        {(flags.value ?? []).map((f, i) => (
          <li key={f.origin} data-testid="over-budget-site" data-origin={f.origin} data-budget={f.budget} data-count={f.count} data-limit={f.limit}>
            {/* The button keeps its visible name and is described by the sentence that names the site. */}
            <span id={`over-budget-${i}`} className="error" style={{ overflowWrap: "anywhere" }}>{budgetSentence(f)}</span>
            <button type="button" data-testid="over-budget-remove" aria-describedby={`over-budget-${i}`} onClick={() => void remove(f.origin)}>
              {t("safety_remove_site")}
            </button>
          </li>
        ))}
      </ul>
      <StatusLine testId="over-budget-message" message={message} />
    </section>
  );
}
