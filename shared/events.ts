/**
 * Every event the broker, the extension and the shell can emit: one closed list, one naming style
 * (`area.what`), and one way to emit (`clockedEmitter`, which stamps the time from the Clock port).
 * Events are token-free: a short sentence and plain detail, never a token value. The popup's
 * Diagnostics map (extension/ui/components/diagnostics-events.ts) is keyed by the types the extension
 * can show, so a new type without its sentence fails to compile.
 */
import type { Clock } from "./ports.js";

/** Emitted by the runtime-neutral core (shared/), or by both runtimes alike (account.signed_in). */
const CORE_EVENT_TYPES = [
  "chain.step_start",
  "chain.step_token",
  "chain.step_fall_through",
  "chain.step_failed",
  "chain.served_cached",
  "chain.served_from_other_sign_in",
  "chain.forced_refresh_limited",
  "chain.code_redemption_lost",
  "chain.authorize_throttled",
  "silent.paused",
  "refresh.redeem",
  "refresh.owed",
  "refresh.background_failed",
  "account.switched",
  "account.signed_in",
  "account.signed_out",
  "http.request",
  "http.retry",
  "http.failed",
  "http.throttled",
  "storage.write_failed",
] as const;

/** Emitted by the extension's worker (extension/broker, extension/storage, extension/background). */
const EXTENSION_EVENT_TYPES = [
  "worker.start",
  "config.saved",
  "config.policy_applied",
  "config.policy_error",
  "config.budgets_unreadable",
  "grants.added",
  "grants.removed",
  "grants.sync_failed",
  "grants.adopted",
  "grants.adopt_skipped",
  "grants.adopt_failed",
  "naa.token",
  "naa.error",
  "naa.dropped",
  "naa.grants_unreadable",
  "naa.scope_decision",
  "activity.write_failed",
  "authorize.probed",
  "account.logout_page",
  "alarm.refresh",
  "alarm.refresh_failed",
  "alarm.schedule_failed",
  "broker.not_ready",
  "storage.connection_lost",
  "storage.entry_dropped",
  "storage.reset",
  "identity.window_record_failed",
  "identity.orphaned_window_closed",
  "badge.update_failed",
] as const;

/** Emitted by the SPA auth shell (web/shell). */
type ShellOnlyEventType =
  | "shell.started"
  | "account.sign_in_failed"
  | "sign_in.abandoned_settled"
  | "token.failed"
  | "refresh.proactive"
  | "refresh.proactive_failed"
  | "refresh.by_other_tab"
  | "bridge.arrived"
  | "bridge.mode_changed"
  | "bridge.switch_failed"
  | "cae.challenge"
  | "cae.challenge_repeated"
  | "groups.resolving"
  | "groups.resolved"
  | "groups.failed";

export type CoreEventType = (typeof CORE_EVENT_TYPES)[number];
/** What the extension broker's `subscribe()` and the popup's event log can carry. */
export type ExtensionEventType = CoreEventType | (typeof EXTENSION_EVENT_TYPES)[number];
/** What the shell's event log can carry. */
export type ShellEventType = CoreEventType | ShellOnlyEventType;
export type EventType = ExtensionEventType | ShellEventType;

/**
 * Whether `type` is one the extension can log (a stored log may hold names an older version wrote).
 * No module-level Set: a top-level `new Set(…)` is a side effect bundlers keep, which put the
 * extension's event names into every app bundle of the shell (web/shell/bundle-contents.test.ts).
 */
export function isExtensionEventType(type: unknown): type is ExtensionEventType {
  if (typeof type !== "string") return false;
  return (CORE_EVENT_TYPES as readonly string[]).includes(type) || (EXTENSION_EVENT_TYPES as readonly string[]).includes(type);
}

type EventDetail = Record<string, string | number | boolean>;

/** A structured, token-free event for the popup's event log, the demo and tests. */
export interface BrokerEvent<T extends EventType = EventType> {
  at: number;
  type: T;
  /** Short human-readable text; never a token value. */
  message: string;
  detail?: EventDetail;
}

/** What the shell's public `status().events` holds. */
export type ShellEvent = BrokerEvent<ShellEventType>;
/** What the extension broker's `subscribe()` delivers and the popup's event log holds. */
export type ExtensionEvent = BrokerEvent<ExtensionEventType>;

export interface EventSink<T extends EventType = EventType> {
  emit(event: BrokerEvent<T>): void;
}

/** Emits one event of type `type`, stamped with the clock's time. */
export type Emit<T extends EventType = EventType> = (type: T, message: string, detail?: EventDetail) => void;

/** The one way to emit: the event carries its time from `clock`, and a missing sink drops it. */
export function clockedEmitter<T extends EventType>(clock: Clock, sink: EventSink<T> | undefined): Emit<T> {
  return (type, message, detail) => sink?.emit({ at: clock.now(), type, message, ...(detail ? { detail } : {}) });
}
