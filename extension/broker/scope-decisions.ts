/**
 * A scope outside a site's grant is the person's decision (issue 22), never granted silently: the
 * page's ask is held while the popup offers "Allow once", "Always allow" and "Deny", and an ask nobody
 * answers fails after `timeoutMs` (default 60 s) with a sentence. Asks for the same site, client ID
 * and scopes while one is pending share its answer (a page retrying does not stack questions), and a
 * site may have only a few different questions open at once (a loop must not bury the person).
 *
 * Pure apart from the Clock port: the wait is `clock.sleep`, so tests drive it with FakeClock. The
 * pending questions live in the worker's memory; a worker that dies drops them, and the page's relay
 * resends the ask once to the next worker, which asks again (so an ask still ends in bounded time).
 */
import { resourceScopes } from "../../shared/cache/scopes.js";
import type { Clock } from "../../shared/ports.js";
import type { ScopeQuestionView } from "../protocol/views.js";

export type ScopeAnswer = "once" | "always" | "deny";
/** `unanswered`: nobody decided in time; `busy`: the site already has its maximum of open questions. */
export type ScopeOutcome = ScopeAnswer | "unanswered" | "busy";

/** What a site asked: the scopes (outside its grant, as the page wrote them) for an app's client ID. */
export type ScopeQuestion = Pick<ScopeQuestionView, "origin" | "clientId" | "scopes">;

export const SCOPE_DECISION_TIMEOUT_MS = 60_000;
/** Different open questions per site; a fourth is answered `busy` at once. */
export const OPEN_QUESTIONS_PER_SITE = 3;

interface Entry {
  decision: ScopeQuestionView;
  settle(outcome: ScopeOutcome): void;
  answered: Promise<ScopeOutcome>;
}

export class ScopeDecisions {
  private readonly entries = new Map<string, Entry>();
  private readonly listeners = new Set<() => void>();

  constructor(private readonly clock: Clock) {}

  /** Holds the ask until the person answers or `timeoutMs` passes. */
  ask(question: ScopeQuestion, timeoutMs = SCOPE_DECISION_TIMEOUT_MS): Promise<ScopeOutcome> {
    const key = `${question.origin}|${question.clientId.toLowerCase()}|${resourceScopes(question.scopes).join(" ")}`;
    const same = this.entries.get(key);
    if (same) return same.answered;
    const open = [...this.entries.values()].filter((e) => e.decision.origin === question.origin).length;
    if (open >= OPEN_QUESTIONS_PER_SITE) return Promise.resolve("busy");
    const now = this.clock.now();
    const decision: ScopeQuestionView = { ...question, scopes: [...question.scopes], id: key, askedAt: now, expiresAt: now + timeoutMs };
    const stop = new AbortController();
    let settle!: (outcome: ScopeOutcome) => void;
    const answered = new Promise<ScopeOutcome>((resolve) => {
      settle = (outcome) => {
        if (!this.entries.delete(key)) return;
        stop.abort();
        resolve(outcome);
        this.changed();
      };
    });
    this.entries.set(key, { decision, settle, answered });
    this.changed();
    this.clock.sleep(timeoutMs, stop.signal).then(
      () => settle("unanswered"),
      () => undefined, // aborted: answered in time
    );
    return answered;
  }

  /** The open questions, oldest first, for the popup. */
  pending(): ScopeQuestionView[] {
    return [...this.entries.values()].map((e) => ({ ...e.decision, scopes: [...e.decision.scopes] }));
  }

  /** The person's answer; false when the question is no longer open (answered, or timed out). */
  answer(id: string, answer: ScopeAnswer): boolean {
    const entry = this.entries.get(id);
    if (!entry) return false;
    entry.settle(answer);
    return true;
  }

  /** Called whenever a question opens or closes (the toolbar badge follows). */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }
}
