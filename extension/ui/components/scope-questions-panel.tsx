import { useState } from "react";
import type { ScopeQuestionView } from "../../protocol/views.js";
import { formatCountdown } from "../../i18n/status-text.js";
import { t } from "../../i18n/translate.js";
import { callBroker, errorText } from "../broker-client.js";
import { usePoll } from "./use-poll.js";
import { pageClock } from "../page-clock.js";
import { StatusLine, type PanelMessage } from "./status-line.js";

type Answer = "once" | "always" | "deny";

const ANSWERED: Record<Answer, string> = { once: "safety_answered_once", always: "safety_answered_always", deny: "safety_answered_deny" };

/**
 * A site asked for scopes outside its grant (issue 22): the person decides — allow once, always
 * allow (the grant gains the scopes), or deny — with the site, the app's client ID and the scopes in
 * words. Nothing shows while no question is open. The page's ask waits for the answer; unanswered, it
 * is refused when the countdown ends.
 */
export function ScopeQuestionsPanel() {
  const questions = usePoll(() => callBroker({ kind: "getScopeQuestions" }));
  const [message, setMessage] = useState<PanelMessage>();
  const answer = async (q: ScopeQuestionView, reply: Answer) => {
    try {
      const { answered } = await callBroker({ kind: "answerScopeQuestion", id: q.id, answer: reply });
      setMessage({ text: answered ? t(ANSWERED[reply], q.origin) : t("safety_answer_too_late"), error: !answered });
    } catch (e) {
      setMessage({ text: errorText(e), error: true });
    }
    questions.reload();
  };
  if (!questions.value?.length && !message) return null;
  const now = pageClock.now();
  return (
    <section data-testid="scope-questions" aria-labelledby="scope-questions-heading">
      <h2 id="scope-questions-heading">{t("safety_questions_heading")}</h2>
      <ul className="stack">
        {(questions.value ?? []).map((q, i) => (
          <li key={q.id} data-testid="scope-question" data-origin={q.origin} data-scopes={q.scopes.join(" ")}>
            {/* The buttons are described by their question: several open questions share the button names. */}
            <p id={`scope-question-${i}`} style={{ overflowWrap: "anywhere" }}>{t("safety_question", q.origin, q.scopes.join(", "), q.clientId)}</p>
            <p className="muted">{t("safety_question_expires", formatCountdown(Math.max(0, q.expiresAt - now)))}</p>
            <div className="row">
              <button type="button" data-testid="scope-allow-once" aria-describedby={`scope-question-${i}`} onClick={() => void answer(q, "once")}>{t("safety_allow_once")}</button>
              <button type="button" data-testid="scope-allow-always" aria-describedby={`scope-question-${i}`} onClick={() => void answer(q, "always")}>{t("safety_allow_always")}</button>
              <button type="button" data-testid="scope-deny" aria-describedby={`scope-question-${i}`} onClick={() => void answer(q, "deny")}>{t("safety_deny")}</button>
            </div>
          </li>
        ))}
      </ul>
      <StatusLine testId="scope-question-message" message={message} />
    </section>
  );
}
