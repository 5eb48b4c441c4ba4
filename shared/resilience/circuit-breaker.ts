import { AuthShellError } from "../errors.js";
import type { Clock, KeyValueStore } from "../ports.js";

/**
 * A circuit breaker per endpoint key (R6), so an outage costs one request per cool-down window,
 * not one per caller.
 * - closed: requests pass; `failureThreshold` consecutive failures open it.
 * - open: requests fail fast with a retryable `idp_unavailable` carrying `retryAfterMs` until the
 *   cool-down has passed.
 * - half-open: after the cool-down exactly one caller is admitted as the probe; everyone else fails
 *   fast. A successful probe closes the breaker, a failed one reopens it for another cool-down. A
 *   probe that never reports (the service worker died) is replaced after `probeTimeoutMs`.
 * State is written through to the store under `breaker:<key>`; `load()` restores it.
 */
export interface CircuitBreakerPolicy {
  failureThreshold: number;
  coolDownMs: number;
  /** `retryAfterMs` given to callers turned away while a probe is in flight. */
  halfOpenRetryAfterMs: number;
  /** After this long without a verdict, another probe may go. */
  probeTimeoutMs: number;
}

export const DEFAULT_CIRCUIT_BREAKER: CircuitBreakerPolicy = {
  failureThreshold: 3,
  coolDownMs: 30_000,
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

export const BREAKER_PREFIX = "breaker:";

export class CircuitBreaker {
  private readonly states = new Map<string, BreakerState>();
  private readonly policy: CircuitBreakerPolicy;

  constructor(
    private readonly store: KeyValueStore,
    private readonly clock: Clock,
    policy: Partial<CircuitBreakerPolicy> = {},
  ) {
    this.policy = { ...DEFAULT_CIRCUIT_BREAKER, ...policy };
  }

  /** Restores persisted breaker state. */
  async load(): Promise<void> {
    for (const [storeKey, value] of await this.store.entries<BreakerState>(BREAKER_PREFIX)) {
      if (!isBreakerState(value)) continue;
      const key = storeKey.slice(BREAKER_PREFIX.length);
      if (!this.states.has(key)) this.states.set(key, { ...value, key });
    }
  }

  /**
   * Admits a request for `key` or throws `idp_unavailable` (retryable, with `retryAfterMs`).
   * Synchronous, so that no other caller can slip in between the decision and the send.
   */
  admit(key: string): BreakerPermit {
    const state = this.states.get(key);
    if (!state || state.phase === "closed") return { key, probe: false };
    const now = this.clock.now();
    if (state.phase === "open") {
      const openUntil = state.openUntil ?? now;
      if (now < openUntil) throw this.unavailable(key, openUntil - now);
    } else if (now - (state.probeStartedAt ?? 0) < this.policy.probeTimeoutMs) {
      throw this.unavailable(key, this.policy.halfOpenRetryAfterMs);
    }
    this.put({ key, phase: "half_open", consecutiveFailures: state.consecutiveFailures, probeStartedAt: now });
    return { key, probe: true };
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
    const failures = state.consecutiveFailures + 1;
    const now = this.clock.now();
    const probeFailed = permit?.probe === true || state.phase === "half_open";
    if (state.phase === "open" && !probeFailed) {
      // A straggler from before the breaker opened: count it, keep the cool-down.
      this.put({ ...state, consecutiveFailures: failures });
    } else if (probeFailed || failures >= this.policy.failureThreshold) {
      this.put({ key, phase: "open", consecutiveFailures: failures, openUntil: now + this.policy.coolDownMs });
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
    return [...this.states.values()]
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

  private put(state: BreakerState): void {
    this.states.set(state.key, state);
    const storeKey = BREAKER_PREFIX + state.key;
    const write = (
      state.phase === "closed" && state.consecutiveFailures === 0 ? this.store.delete(storeKey) : this.store.set(storeKey, { ...state })
    ).catch(() => undefined); // the in-memory state stays authoritative if persisting fails
    this.pendingWrites = Promise.all([this.pendingWrites, write]);
  }

  private pendingWrites: Promise<unknown> = Promise.resolve();

  /** Resolves when every state change so far has been handed to the store. */
  async flush(): Promise<void> {
    await this.pendingWrites;
  }
}

function isBreakerState(value: unknown): value is BreakerState {
  if (typeof value !== "object" || value === null) return false;
  const v = value as BreakerState;
  return (v.phase === "closed" || v.phase === "open" || v.phase === "half_open") && typeof v.consecutiveFailures === "number";
}
