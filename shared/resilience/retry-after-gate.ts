import * as v from "valibot";
import { AuthShellError } from "../errors.js";
import type { CoreEventType, Emit } from "../events.js";
import type { Clock, KeyValueStore } from "../ports.js";
import { STORE_PREFIXES } from "../storage/key-prefixes.js";
import { PersistedRecords, readWith } from "../storage/persisted-records.js";

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

const readStoredGate = readWith(v.object({ closedUntil: v.pipe(v.number(), v.finite()) }));

/**
 * The `Retry-After` gate (R5). After a 429 the gate for that key is closed until the wait has
 * passed: `check` then throws a retryable `throttled` error carrying `retryAfterMs`, so nothing is
 * sent. The state lives in memory for synchronous checks and is written through to the store under
 * `gate:<key>`, so a restarted service worker that calls `load()` keeps honouring it.
 */
export class RetryAfterGate {
  private readonly closed: PersistedRecords<GateRecord>;

  constructor(
    store: KeyValueStore,
    private readonly clock: Clock,
    emit?: Emit<CoreEventType>,
  ) {
    this.closed = new PersistedRecords<GateRecord>({
      store,
      prefix: STORE_PREFIXES.gate,
      what: "a Retry-After wait",
      emit,
      // A closure that has passed is not worth keeping.
      read: (value, key) => {
        const stored = readStoredGate(value);
        return stored && stored.closedUntil > clock.now() ? { key, closedUntil: stored.closedUntil } : undefined;
      },
      merge: (inMemory, stored) => (stored.closedUntil > inMemory.closedUntil ? stored : inMemory),
    });
  }

  /** Restores closed gates from the store and drops the expired ones. */
  load(): Promise<void> {
    return this.closed.load();
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
    const record = this.closed.get(key);
    return record ? Math.max(0, record.closedUntil - this.clock.now()) : 0;
  }

  /**
   * Closes the gate for `key` for `waitMs` (a longer existing closure is kept). Takes effect
   * synchronously; the returned promise settles once the state is persisted (or its failure reported).
   */
  async close(key: string, waitMs: number): Promise<void> {
    if (!(waitMs > 0)) return;
    const closedUntil = Math.max(this.clock.now() + Math.ceil(waitMs), this.closed.get(key)?.closedUntil ?? 0);
    await this.closed.set(key, { key, closedUntil });
  }

  /** Opens the gate for `key` at once (e.g. after an operator reset). */
  async open(key: string): Promise<void> {
    await this.closed.delete(key);
  }

  /** The currently closed gates, by key. */
  snapshot(): GateState[] {
    const now = this.clock.now();
    return this.closed
      .entries()
      .filter(([, r]) => r.closedUntil > now)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, { closedUntil }]) => ({ key, closedUntil, remainingMs: closedUntil - now }));
  }
}
