import type { ErrorCode } from "../../../shared/errors.js";
import type { Clock } from "../../../shared/ports.js";
import type { CircuitBreaker } from "../../../shared/resilience/circuit-breaker.js";
import { gateSubject, type GateSubject } from "../../../shared/resilience/gate-keys.js";
import type { RetryAfterGate } from "../../../shared/resilience/retry-after-gate.js";

/** One wait the shell is honouring, for the status display: it counts down with `remainingMs`. */
export interface ShellWait {
  /** What is held back: an IdP endpoint or a resource host; absent for a wait the extension reported. */
  subject?: GateSubject;
  kind: "throttled" | "unavailable" | "cooldown";
  /** Where it comes from: this page's Retry-After gate, its backoff (breaker), or the extension broker. */
  source: "gate" | "backoff" | "broker";
  /** Epoch ms when requests may go again. */
  until: number;
  remainingMs: number;
}

const KIND: Partial<Record<ErrorCode, ShellWait["kind"]>> = {
  throttled: "throttled",
  idp_unavailable: "unavailable",
  timeout: "unavailable",
  network_error: "unavailable",
  interaction_cooldown: "cooldown",
  over_budget: "throttled",
};

/**
 * Waits the page cannot see in its own gates: in extension mode the broker throttles and backs off
 * inside the extension, and tells the page only through an error's `retryAfterMs`. We keep the
 * deadline (not the number) so the display counts down and the entry disappears when it is over.
 */
export class BrokerWaits {
  private readonly deadlines = new Map<ShellWait["kind"], number>();

  constructor(private readonly clock: Clock) {}

  /** Records the wait an error carries; returns whether it did carry one. */
  noteFailure(code: ErrorCode, retryAfterMs: number | undefined): boolean {
    const kind = KIND[code];
    if (!kind || retryAfterMs === undefined || retryAfterMs <= 0) return false;
    this.deadlines.set(kind, this.clock.now() + retryAfterMs);
    return true;
  }

  /** A token arrived: the broker is not holding us back any more. */
  clear(): void {
    this.deadlines.clear();
  }

  active(): ShellWait[] {
    const now = this.clock.now();
    const result: ShellWait[] = [];
    for (const [kind, until] of this.deadlines) {
      if (until <= now) this.deadlines.delete(kind);
      else result.push({ kind, source: "broker", until, remainingMs: until - now });
    }
    return result;
  }
}

/** Every wait in force now: the page's own gates and open breakers, and the broker's reported waits. */
export function activeWaits(gate: RetryAfterGate, breaker: CircuitBreaker, broker: BrokerWaits, clock: Clock): ShellWait[] {
  const now = clock.now();
  // Keys are internal: a wait names what it holds back (every key is built by gate-keys.ts).
  const about = (key: string) => {
    const subject = gateSubject(key);
    return subject ? { subject } : {};
  };
  const waits: ShellWait[] = gate
    .snapshot()
    .filter((g) => g.remainingMs > 0)
    .map((g) => ({ ...about(g.key), kind: "throttled", source: "gate", until: g.closedUntil, remainingMs: g.remainingMs }));
  for (const b of breaker.snapshot()) {
    if (b.phase === "open" && b.openUntil !== undefined && b.openUntil > now) {
      waits.push({ ...about(b.key), kind: "unavailable", source: "backoff", until: b.openUntil, remainingMs: b.openUntil - now });
    }
  }
  return [...waits, ...broker.active()];
}
