/**
 * The toolbar badge: the popup header's state (shared/protocol/status-summary.ts) at a glance.
 * Empty when all is well; a short mark and colour otherwise, and the header's sentence as the
 * tooltip. Re-derived on every broker event and again when a wait the badge shows runs out (no
 * event marks that moment). Every failure to update is reported as an event, never dropped.
 */
import { summarizeStatus, type StatusState, type StatusSummary } from "../protocol/status-summary.js";
import type { StatusView } from "../protocol/views.js";
import { AuthShellError } from "../../shared/errors.js";
import { t } from "../i18n/translate.js";
import { summarySentence } from "../i18n/status-text.js";

export interface BadgeLook {
  text: string;
  color: string;
}

/** Marks that read without a language: a pause, a retry arrow, a cross, an exclamation, a dash. */
export const BADGE_LOOKS: Record<StatusState, BadgeLook> = {
  ok: { text: "", color: "#2e7d32" },
  throttled: { text: "⏸", color: "#b26a00" },
  backing_off: { text: "↻", color: "#b26a00" },
  offline: { text: "✕", color: "#5f6368" },
  needs_sign_in: { text: "!", color: "#c62828" },
  signed_out: { text: "–", color: "#5f6368" },
};

/** A site's ask waits for the person's decision (issue 22): it outranks every other state. */
export const ASKING_LOOK: BadgeLook = { text: "?", color: "#1a73e8" };

export interface BadgeState extends BadgeLook {
  state: StatusState;
  title: string;
  /** When the badge must be re-derived because a wait it shows ends. */
  recheckAt?: number;
}

export function badgeFor(summary: StatusSummary, now: number): BadgeState {
  return {
    state: summary.state,
    ...BADGE_LOOKS[summary.state],
    title: t("status_badge_title", summarySentence(summary, now)),
    ...(summary.retryAt !== undefined && summary.retryAt > now ? { recheckAt: summary.retryAt } : {}),
  };
}

/** The slice of chrome.action the badge uses (a port, so the mapping is testable without Chrome). */
export interface BadgeAction {
  setBadgeText(details: { text: string }): Promise<void>;
  setBadgeBackgroundColor(details: { color: string }): Promise<void>;
  setTitle(details: { title: string }): Promise<void>;
}

export interface BadgeDeps {
  status: () => Promise<StatusView>;
  action: BadgeAction;
  now: () => number;
  online: () => boolean;
  report: (message: string, code: string) => void;
  /** Whether a scope question is open: the badge shows ASKING_LOOK until it is answered. */
  asking?: () => boolean;
  /** Default setTimeout; the handle is cleared when a newer update reschedules. */
  schedule?: (run: () => void, delayMs: number) => () => void;
}

/** Keeps the badge in step with the broker; `update()` may be called as often as events arrive. */
export function createBadge(deps: BadgeDeps): { update: () => Promise<BadgeState | undefined> } {
  const schedule =
    deps.schedule ??
    ((run, delayMs) => {
      const handle = setTimeout(run, delayMs);
      return () => clearTimeout(handle);
    });
  let cancel: (() => void) | undefined;
  let queue: Promise<unknown> = Promise.resolve();
  let last: string | undefined;

  const apply = async (): Promise<BadgeState | undefined> => {
    try {
      const view = await deps.status();
      const now = deps.now();
      const badge = badgeFor(summarizeStatus(view, { now, online: deps.online() }), now);
      cancel?.();
      cancel = badge.recheckAt !== undefined ? schedule(() => void update(), badge.recheckAt - now + 50) : undefined;
      const asking = deps.asking?.() === true;
      const look = asking ? ASKING_LOOK : badge;
      const shown = asking ? "asking" : badge.state;
      // The title counts down; the badge itself only changes with the state.
      if (last !== shown) {
        await deps.action.setBadgeText({ text: look.text });
        await deps.action.setBadgeBackgroundColor({ color: look.color });
        last = shown;
      }
      await deps.action.setTitle({ title: asking ? t("safety_badge_asking") : badge.title });
      return badge;
    } catch (error) {
      last = undefined; // try the whole badge again next time
      const shellError = AuthShellError.from(error);
      deps.report(`The toolbar badge could not be updated: ${shellError.message}`, shellError.code);
      return undefined;
    }
  };
  // Serialised and coalesced: events arrive in bursts; one run queued behind the current one sees them all.
  let queued: Promise<BadgeState | undefined> | undefined;
  const update = (): Promise<BadgeState | undefined> => {
    if (queued) return queued;
    const next = queue.then(() => {
      queued = undefined;
      return apply();
    });
    queued = next;
    queue = next;
    return next;
  };
  return { update };
}
