import * as v from "valibot";
import { AuthShellError } from "../errors.js";
import type { CoreEventType, Emit } from "../events.js";
import type { Clock, KeyValueStore, Random } from "../ports.js";
import { STORE_PREFIXES } from "../storage/key-prefixes.js";
import { PersistedRecords, readWith } from "../storage/persisted-records.js";
import { backoffDelay, DEFAULT_BACKOFF, type BackoffPolicy } from "./backoff.js";

/**
 * A circuit breaker per endpoint key that IS the key's exponential backoff (R6): an outage costs one
 * request per backoff window for ALL callers of the key together (pages, forced refreshes, alarms),
 * across service-worker restarts — not one request per caller.
 * - closed: requests pass; `failureThreshold` (default 1) consecutive failures (5xx, network error,
 *   timeout) open it.
 * - open: requests fail fast with a retryable `idp_unavailable` carrying `retryAfterMs` until the
 *   window has passed. The n-th opening lasts `backoffDelay(n)`: ≥ 5 s, then ~10 s, ~20 s … capped
 *   at 60 s (jittered upward only below the cap when a Random is given; its lower bound otherwise).
 * - half-open: after the window exactly one caller is admitted as the probe; everyone else fails
 *   fast. A successful probe closes the breaker, a failed one reopens it, for longer each time.
 *   A probe that never reports (the service worker died) is replaced after `probeTimeoutMs`.
 * - a failure of a request sent before the breaker opened (a straggler) does not grow the window,
 *   but no probe goes sooner than the current window's length after it (no immediate retry after a
 *   timeout).
 * State is written through to the store under `breaker:<key>`; `load()` restores it, so a restarted
 * worker keeps both the window and the failure count the next window grows from.
 */
export interface CircuitBreakerPolicy {
  failureThreshold: number;
  /** The open windows: opening n (1-based) lasts `backoffDelay(n, random, backoff)`. */
  backoff: BackoffPolicy;
  /** `retryAfterMs` given to callers turned away while a probe is in flight. */
  halfOpenRetryAfterMs: number;
  /** After this long without a verdict, another probe may go. */
  probeTimeoutMs: number;
}

const DEFAULT_CIRCUIT_BREAKER: CircuitBreakerPolicy = {
  failureThreshold: 1,
  backoff: DEFAULT_BACKOFF,
  halfOpenRetryAfterMs: 5_000,
  probeTimeoutMs: 30_000,
};

export type BreakerPhase = "closed" | "open" | "half_open";

export interface BreakerState {
  key: string;
  phase: BreakerPhase;
  consecutiveFailures: number;
  /** When open: epoch ms from which a probe may go. */
  openUntil?: number;
  /** When half-open: when the probe was admitted. */
  probeStartedAt?: number;
}

/** What `admit` grants: a normal pass or the single half-open probe. */
export interface BreakerPermit {
  key: string;
  probe: boolean;
}

/** Without a Random the windows are the backoff's un-jittered lower bound (5 s, 10 s, 20 s …). */
const NO_JITTER: Random = { float: () => 0, bytes: (length) => new Uint8Array(length) };

export class CircuitBreaker {
  /** Absent = cleanly closed. */
  private readonly states: PersistedRecords<BreakerState>;
  private readonly policy: CircuitBreakerPolicy;

  constructor(
    store: KeyValueStore,
    private readonly clock: Clock,
    policy: Partial<CircuitBreakerPolicy> = {},
    private readonly random: Random = NO_JITTER,
    emit?: Emit<CoreEventType>,
  ) {
    this.policy = { ...DEFAULT_CIRCUIT_BREAKER, ...policy, backoff: { ...DEFAULT_BACKOFF, ...policy.backoff } };
    this.states = new PersistedRecords<BreakerState>({
      store,
      prefix: STORE_PREFIXES.breaker,
      what: "a circuit breaker's state",
      emit,
      read: (value, key) => {
        const stored = readStoredBreaker(value);
        return stored && { ...stored, key };
      },
    });
  }

  /** How long opening number `failures - failureThreshold + 1` keeps the key open. */
  windowMs(consecutiveFailures: number): number {
    const opening = Math.max(1, consecutiveFailures - Math.max(1, this.policy.failureThreshold) + 1);
    return backoffDelay(opening, this.random, this.policy.backoff);
  }

  /** Restores persisted breaker state (the state in memory wins). */
  load(): Promise<void> {
    return this.states.load();
  }

  /**
   * Admits a request for `key` or throws `idp_unavailable` (retryable, with `retryAfterMs`).
   * Synchronous, so that no other caller can slip in between the decision and the send.
   */
  admit(key: string): BreakerPermit {
    const state = this.states.get(key);
    if (!state || state.phase === "closed") return { key, probe: false };
    this.check(key);
    const now = this.clock.now();
    this.put({ key, phase: "half_open", consecutiveFailures: state.consecutiveFailures, probeStartedAt: now });
    return { key, probe: true };
  }

  /**
   * Throws what `admit(key)` would throw now — `idp_unavailable` with `retryAfterMs` while the window
   * is open or a half-open probe is in flight — without claiming the probe. For callers that would
   * otherwise queue behind that probe (e.g. on a refresh-token lock) before reaching `admit`.
   */
  check(key: string): void {
    const state = this.states.get(key);
    if (!state || state.phase === "closed") return;
    const now = this.clock.now();
    if (state.phase === "open") {
      const openUntil = state.openUntil ?? now;
      if (now < openUntil) throw this.unavailable(key, openUntil - now);
    } else if (now - (state.probeStartedAt ?? 0) < this.policy.probeTimeoutMs) {
      throw this.unavailable(key, this.policy.halfOpenRetryAfterMs);
    }
  }

  /** Milliseconds until `admit(key)` could let a request through (0 when it would now). */
  remainingMs(key: string): number {
    const state = this.states.get(key);
    if (!state || state.phase === "closed") return 0;
    const now = this.clock.now();
    if (state.phase === "open") return Math.max(0, (state.openUntil ?? now) - now);
    return Math.max(0, (state.probeStartedAt ?? 0) + this.policy.probeTimeoutMs - now);
  }

  /** The endpoint answered (any status that is not an outage): close the breaker. */
  recordSuccess(key: string): void {
    const state = this.states.get(key);
    if (!state || (state.phase === "closed" && state.consecutiveFailures === 0)) return;
    this.put({ key, phase: "closed", consecutiveFailures: 0 });
  }

  /** The endpoint failed (5xx, network error, timeout). */
  recordFailure(key: string, permit?: BreakerPermit): void {
    const state = this.states.get(key) ?? { key, phase: "closed" as const, consecutiveFailures: 0 };
    const now = this.clock.now();
    const probeFailed = permit?.probe === true || state.phase === "half_open";
    if (state.phase === "open" && !probeFailed) {
      // A straggler sent before the breaker opened: the window does not grow, but no probe goes
      // sooner than one window after this failure either.
      const openUntil = Math.max(state.openUntil ?? now, now + this.windowMs(state.consecutiveFailures));
      if (openUntil !== state.openUntil) this.put({ ...state, openUntil });
      return;
    }
    const failures = state.consecutiveFailures + 1;
    if (probeFailed || failures >= this.policy.failureThreshold) {
      this.put({ key, phase: "open", consecutiveFailures: failures, openUntil: now + this.windowMs(failures) });
    } else {
      this.put({ key, phase: "closed", consecutiveFailures: failures });
    }
  }

  /** The caller gave up without a verdict (aborted): free the probe slot, change nothing else. */
  release(permit: BreakerPermit): void {
    const state = this.states.get(permit.key);
    if (!permit.probe || state?.phase !== "half_open") return;
    this.put({ key: permit.key, phase: "open", consecutiveFailures: state.consecutiveFailures, openUntil: this.clock.now() });
  }

  /** Current state for `key` (closed when never seen). */
  stateOf(key: string): BreakerState {
    return { ...(this.states.get(key) ?? { key, phase: "closed", consecutiveFailures: 0 }) };
  }

  /** Every breaker that is not cleanly closed, by key. */
  snapshot(): BreakerState[] {
    return this.states
      .entries()
      .map(([, s]) => s)
      .filter((s) => s.phase !== "closed" || s.consecutiveFailures > 0)
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
      .map((s) => ({ ...s }));
  }

  private unavailable(key: string, retryAfterMs: number): AuthShellError {
    return new AuthShellError("idp_unavailable", `${key} is unavailable (circuit open); retry in ${Math.ceil(retryAfterMs / 1000)} s`, {
      retryable: true,
      retryAfterMs,
    });
  }

  /** Synchronous in memory; the write goes on behind it (`flush` awaits it). */
  private put(state: BreakerState): void {
    void (state.phase === "closed" && state.consecutiveFailures === 0 ? this.states.delete(state.key) : this.states.set(state.key, state));
  }

  /** Resolves when every state change so far has been written (or its failure reported). */
  flush(): Promise<void> {
    return this.states.flush();
  }
}

const readStoredBreaker = readWith(
  v.object({
    phase: v.picklist(["closed", "open", "half_open"]),
    consecutiveFailures: v.number(),
    openUntil: v.optional(v.number()),
    probeStartedAt: v.optional(v.number()),
  }),
);
