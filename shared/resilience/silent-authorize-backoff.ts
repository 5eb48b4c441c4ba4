import * as v from "valibot";
import { ERROR_CODES, type ErrorCode } from "../errors.js";
import type { CoreEventType, Emit } from "../events.js";
import type { Clock, KeyValueStore } from "../ports.js";
import { STORE_PREFIXES } from "../storage/key-prefixes.js";
import { PersistedRecords, readWith } from "../storage/persisted-records.js";

/**
 * Holds the silent step (`prompt=none`) back after it failed. The authorize endpoint's status is
 * hidden behind the browser's auth flow (launchWebAuthFlow shows neither a 429 nor a Retry-After;
 * the extension's flow probes for a 429's wait, which then closes the endpoint's Retry-After gate):
 * without this, every silent ask of every tab reached the IdP (issue 12: 19 authorize requests
 * inside one 20 s Retry-After window, 20 `prompt=none` in 20 s from two signed-out tabs polling).
 *
 * Two kinds of answer are remembered per client and user:
 * - `no_session` (login_required, interaction_required, consent_required …): the IdP said only the
 *   user can help. That answer does not change by asking again; it is remembered for
 *   `noSessionBaseMs`, doubling while it repeats, until a sign-in or sign-out clears every record.
 * - `failed` (the page could not be loaded, timed out, the IdP is down): exponential backoff whose
 *   first retry is at least 5 s away (the seed's rule for 5xx and timeouts), doubling to `maxMs`.
 *
 * Persisted under `silent:<key>` when a store is given, so a restarted service worker keeps waiting.
 */
export interface SilentAuthorizeBackoffPolicy {
  /** First wait after a failed silent authorize (≥ 5 s). */
  failedBaseMs: number;
  /** First wait after a "no session" answer. */
  noSessionBaseMs: number;
  factor: number;
  maxMs: number;
}

const DEFAULT_SILENT_AUTHORIZE_BACKOFF: SilentAuthorizeBackoffPolicy = {
  failedBaseMs: 5_000,
  noSessionBaseMs: 60_000,
  factor: 2,
  maxMs: 15 * 60_000,
};

export type SilentOutcomeKind = "no_session" | "failed";

export interface SilentAuthorizeRecord {
  kind: SilentOutcomeKind;
  /** The AuthShellError code of the answer being remembered. */
  code: ErrorCode;
  until: number;
  failures: number;
}

const readRecord = readWith(
  v.object({ kind: v.picklist(["no_session", "failed"]), code: v.picklist(ERROR_CODES), until: v.number(), failures: v.number() }),
);

export class SilentAuthorizeBackoff {
  private readonly records: PersistedRecords<SilentAuthorizeRecord>;
  private readonly policy: SilentAuthorizeBackoffPolicy;

  constructor(
    private readonly clock: Clock,
    store?: KeyValueStore,
    policy: Partial<SilentAuthorizeBackoffPolicy> = {},
    emit?: Emit<CoreEventType>,
  ) {
    this.records = new PersistedRecords<SilentAuthorizeRecord>({ store, prefix: STORE_PREFIXES.silentBackoff, what: "a silent sign-in backoff", emit, read: readRecord });
    this.policy = { ...DEFAULT_SILENT_AUTHORIZE_BACKOFF, ...policy };
    // The seed's floor: never retry a failed request sooner than 5 s.
    this.policy.failedBaseMs = Math.max(5_000, this.policy.failedBaseMs);
  }

  load(): Promise<void> {
    return this.records.load();
  }

  /** The remembered answer for `key` while it still holds, with the time left. */
  active(key: string): (SilentAuthorizeRecord & { remainingMs: number }) | undefined {
    const record = this.records.get(key);
    if (!record) return undefined;
    const remainingMs = record.until - this.clock.now();
    return remainingMs > 0 ? { ...record, remainingMs } : undefined;
  }

  /**
   * Every remembered answer, also those whose wait has passed: a "no session" answer stays true until
   * a sign-in, sign-out or success clears it, so the popup can say "sign in again" after the wait.
   */
  snapshot(): Array<SilentAuthorizeRecord & { key: string; remainingMs: number }> {
    const now = this.clock.now();
    return this.records.entries().map(([key, r]) => ({ key, ...r, remainingMs: Math.max(0, r.until - now) }));
  }

  /** The silent authorize for `key` failed (`failed`) or the IdP answered "no session" (`no_session`). */
  async record(key: string, kind: SilentOutcomeKind, code: ErrorCode): Promise<number> {
    const previous = this.records.get(key);
    const failures = previous?.kind === kind ? previous.failures + 1 : 1;
    const base = kind === "failed" ? this.policy.failedBaseMs : this.policy.noSessionBaseMs;
    const waitMs = Math.min(this.policy.maxMs, base * Math.pow(this.policy.factor, failures - 1));
    const record: SilentAuthorizeRecord = { kind, code, until: this.clock.now() + waitMs, failures };
    await this.records.set(key, record);
    return waitMs;
  }

  /** The silent authorize for `key` succeeded. */
  clear(key: string): Promise<void> {
    return this.records.delete(key);
  }

  /** Something changed (a sign-in, a sign-out): every remembered answer is void. */
  clearAll(): Promise<void> {
    return this.records.deleteWhere();
  }
}
