import { clockedEmitter, type BrokerEvent, type Emit, type EventSink } from "../../../shared/events.js";
import type { Clock } from "../../../shared/ports.js";
import { FakeClock } from "./fake-clock.js";

/** Records what a unit emits, whether it takes a sink (`emit`) or a clock-bound emitter (`emitter`). */
export interface EventRecorder extends EventSink {
  list: BrokerEvent[];
  emitter: Emit;
  types(): string[];
}

export function recordEvents(clock: Clock = new FakeClock()): EventRecorder {
  const list: BrokerEvent[] = [];
  const sink: EventSink = { emit: (event) => void list.push(event) };
  return { list, emit: sink.emit, emitter: clockedEmitter(clock, sink), types: () => list.map((e) => e.type) };
}
