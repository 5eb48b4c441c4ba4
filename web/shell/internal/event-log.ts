import type { EventSink, ShellEvent, ShellEventType } from "../../../shared/events.js";

/** A bounded in-page event log that the status panel renders; never holds token values. */
export class EventLog implements EventSink<ShellEventType> {
  private readonly items: ShellEvent[] = [];
  private readonly listeners = new Set<() => void>();

  constructor(private readonly capacity = 40) {}

  emit(event: ShellEvent): void {
    this.items.push(event);
    if (this.items.length > this.capacity) this.items.shift();
    for (const listener of this.listeners) listener();
  }

  recent(): ShellEvent[] {
    return [...this.items].reverse();
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
