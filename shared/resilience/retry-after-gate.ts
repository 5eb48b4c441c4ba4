import { AuthShellError } from "../errors.js";
import type { Clock, KeyValueStore } from "../ports.js";

/** A closed gate as reported to the status panel. */
export interface GateState {
  key: string;
  /** Epoch ms from which requests may leave again. */
  closedUntil: number;
  remainingMs: number;
}

interface GateRecord {
  key: string;
  closedUntil: number;
}

const GATE_PREFIX = "gate:";

/**
 * The `Retry-After` gate (R5). After a 429 the gate for that key is closed until the wait has
 * passed: `check` then throws a retryable `throttled` error carrying `retryAfterMs`, so nothing is
 * sent. The state lives in memory for synchronous checks and is written through to the store under
 * `gate:<key>`, so a restarted service worker that calls `load()` keeps honouring it.
 */
export class RetryAfterGate {
  private readonly closed = new Map<string, number>();

  constructor(
    private readonly store: KeyValueStore,
    private readonly clock: Clock,
  ) {}

  /** Restores closed gates from the store and drops the expired ones. */
  async load(): Promise<void> {
    const now = this.clock.now();
    const expired: string[] = [];
    for (const [storeKey, record] of await this.store.entries<GateRecord>(GATE_PREFIX)) {
      const until = isGateRecord(record) ? record.closedUntil : 0;
      if (until <= now) {
        expired.push(storeKey);
        continue;
      }
      const key = storeKey.slice(GATE_PREFIX.length);
      this.closed.set(key, Math.max(until, this.closed.get(key) ?? 0));
    }
    if (expired.length > 0) await this.store.batch({ delete: expired });
  }

  /** Throws `throttled` (retryable, with `retryAfterMs`) while the gate for `key` is closed. */
  check(key: string): void {
    const remaining = this.remainingMs(key);
    if (remaining > 0) {
      throw new AuthShellError("throttled", `Requests to ${key} are paused for ${Math.ceil(remaining / 1000)} s (Retry-After)`, {
        retryable: true,
        retryAfterMs: remaining,
      });
    }
  }

  /** Milliseconds until the gate for `key` opens; 0 when it is open. */
  remainingMs(key: string): number {
    const until = this.closed.get(key);
    if (until === undefined) return 0;
    const remaining = until - this.clock.now();
    if (remaining > 0) return remaining;
    this.closed.delete(key);
    return 0;
  }

  /**
   * Closes the gate for `key` for `waitMs` (a longer existing closure is kept). Takes effect
   * synchronously; the returned promise settles once the state is persisted.
   */
  async close(key: string, waitMs: number): Promise<void> {
    if (!(waitMs > 0)) return;
    const until = Math.max(this.clock.now() + Math.ceil(waitMs), this.closed.get(key) ?? 0);
    this.closed.set(key, until);
    const record: GateRecord = { key, closedUntil: until };
    await this.store.set(GATE_PREFIX + key, record);
  }

  /** Opens the gate for `key` at once (e.g. after an operator reset). */
  async open(key: string): Promise<void> {
    this.closed.delete(key);
    await this.store.delete(GATE_PREFIX + key);
  }

  /** The currently closed gates, by key. */
  snapshot(): GateState[] {
    const now = this.clock.now();
    return [...this.closed.entries()]
      .filter(([, until]) => until > now)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, closedUntil]) => ({ key, closedUntil, remainingMs: closedUntil - now }));
  }
}

function isGateRecord(value: unknown): value is GateRecord {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as GateRecord).closedUntil === "number" &&
    Number.isFinite((value as GateRecord).closedUntil)
  );
}
