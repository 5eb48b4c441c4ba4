/**
 * A ring buffer of recent token-free broker events for the popup, persisted in
 * chrome.storage.session so a restarted worker keeps its history (cleared with the browser session).
 */
import type { BrokerEvent, EventSink } from "../../shared/ports.js";

export const EVENT_LOG_KEY = "events";
const EVENT_LOG_SIZE = 200;

export interface SessionArea {
  get(key: string): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
}

export class EventLog implements EventSink {
  private events: BrokerEvent[] = [];
  private loaded: Promise<void>;
  private writing: Promise<void> = Promise.resolve();
  private writePending = false;

  constructor(
    private readonly area: SessionArea,
    private readonly size = EVENT_LOG_SIZE,
    private readonly coalesceMs = 200,
  ) {
    this.loaded = area
      .get(EVENT_LOG_KEY)
      .then((r) => {
        const stored = r[EVENT_LOG_KEY];
        if (Array.isArray(stored)) this.events = [...(stored as BrokerEvent[]), ...this.events].slice(-this.size);
      })
      .catch(() => undefined);
  }

  emit(event: BrokerEvent): void {
    this.events.push({ at: event.at, type: event.type, message: event.message, ...(event.detail ? { detail: event.detail } : {}) });
    if (this.events.length > this.size) this.events.splice(0, this.events.length - this.size);
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
      .catch(() => undefined);
  }

  async recent(limit = this.size): Promise<BrokerEvent[]> {
    await this.loaded;
    return this.events.slice(-limit);
  }

  async flushed(): Promise<void> {
    await this.writing;
  }
}
