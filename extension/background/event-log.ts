/**
 * A ring buffer of recent token-free broker events for the popup, persisted in
 * chrome.storage.session so a restarted worker keeps its history (cleared with the browser session).
 */
import * as v from "valibot";
import { AuthShellError } from "../../shared/errors.js";
import { isExtensionEventType, type EventSink, type ExtensionEvent, type ExtensionEventType } from "../../shared/events.js";
import type { Clock } from "../../shared/ports.js";

export const EVENT_LOG_KEY = "events";
const EVENT_LOG_SIZE = 200;

export interface SessionArea {
  get(key: string): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
}

const StoredEventSchema = v.object({
  at: v.number(),
  type: v.custom<ExtensionEventType>(isExtensionEventType),
  message: v.string(),
  detail: v.optional(v.record(v.string(), v.union([v.string(), v.number(), v.boolean()]))),
});

/**
 * The stored entries this version can show. Entries under a type an older version wrote (before the
 * event names were unified: `storage_write_failed`, `signed_out`, …) or malformed ones are dropped on
 * purpose: the log is session-scoped diagnostics, and a sentence is owed only to the types listed now.
 */
function readableEvents(stored: unknown): ExtensionEvent[] {
  if (!Array.isArray(stored)) return [];
  return stored.flatMap((entry) => {
    const parsed = v.safeParse(StoredEventSchema, entry);
    return parsed.success ? [parsed.output] : [];
  });
}

export class EventLog implements EventSink<ExtensionEventType> {
  private events: ExtensionEvent[] = [];
  private loaded: Promise<void>;
  private writing: Promise<void> = Promise.resolve();
  private writePending = false;
  private writeFailureNoted = false;

  constructor(
    private readonly area: SessionArea,
    private readonly clock: Clock,
    private readonly size = EVENT_LOG_SIZE,
    private readonly coalesceMs = 200,
  ) {
    this.loaded = area
      .get(EVENT_LOG_KEY)
      .then((r) => {
        this.events = [...readableEvents(r[EVENT_LOG_KEY]), ...this.events].slice(-this.size);
      })
      .catch((error: unknown) => this.noteOwnFailure("storage.entry_dropped", "The previous worker's event log could not be read", error));
  }

  emit(event: ExtensionEvent): void {
    this.push(event);
    // Coalesced: one write per burst of events (a cached-token hit emits several), off the hot path.
    if (this.writePending) return;
    this.writePending = true;
    this.writing = this.writing
      .then(() => this.loaded)
      .then(() => new Promise((resolve) => setTimeout(resolve, this.coalesceMs)))
      .then(() => {
        this.writePending = false;
        return this.area.set({ [EVENT_LOG_KEY]: this.events });
      })
      .then(
        () => void (this.writeFailureNoted = false),
        (error: unknown) => {
          this.writePending = false;
          // Once until a write succeeds again: a broken session storage must not fill the log with itself.
          if (!this.writeFailureNoted) this.noteOwnFailure("storage.write_failed", "The event log could not be saved; it is kept in memory", error);
          this.writeFailureNoted = true;
        },
      );
  }

  async recent(limit = this.size): Promise<ExtensionEvent[]> {
    await this.loaded;
    return this.events.slice(-limit);
  }

  async flushed(): Promise<void> {
    await this.writing;
  }

  private push(event: ExtensionEvent): void {
    this.events.push({ at: event.at, type: event.type, message: event.message, ...(event.detail ? { detail: event.detail } : {}) });
    if (this.events.length > this.size) this.events.splice(0, this.events.length - this.size);
  }

  /**
   * The log's own storage failed: it says so in itself, in memory only (it holds the log for this
   * worker either way), without scheduling a write that would fail again.
   */
  private noteOwnFailure(type: "storage.entry_dropped" | "storage.write_failed", message: string, error: unknown): void {
    this.push({ at: this.clock.now(), type, message, detail: { code: AuthShellError.from(error, "storage_error").code } });
  }
}
