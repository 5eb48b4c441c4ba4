import * as v from "valibot";
import { AuthShellError } from "../errors.js";
import type { CoreEventType, Emit } from "../events.js";
import type { Clock, KeyValueStore } from "../ports.js";
import { STORE_PREFIXES } from "../storage/key-prefixes.js";
import { PersistedRecords, readWith } from "../storage/persisted-records.js";

/**
 * Stops prompt loops: after a cancelled or failed interactive prompt, further prompts for the same
 * key fail fast with `interaction_cooldown` (retryable, with `retryAfterMs`) until the cool-down has
 * passed. Consecutive failures double the cool-down (10 s, 20 s, 40 s … capped at 2 min); a
 * successful prompt resets it. Persisted under `cooldown:<key>` when a store is given.
 *
 * A prompt the user closed (`declined`) also holds an app's own prompts (`appInitiated`: no person
 * behind them) after the cool-down, until a prompt succeeds: the user said no, and only a person
 * (whose prompts skip this check) takes that back. Without it an app looping `acquireTokenPopup`
 * reopened the window every 10 s, 20 s, … 2 min, for ever.
 */
export interface InteractionCooldownPolicy {
  baseMs: number;
  factor: number;
  maxMs: number;
}

const DEFAULT_INTERACTION_COOLDOWN: InteractionCooldownPolicy = { baseMs: 10_000, factor: 2, maxMs: 120_000 };

const readCooldown = readWith(v.object({ until: v.number(), failures: v.number(), declined: v.optional(v.literal(true)) }));

interface CooldownRecord {
  until: number;
  failures: number;
  /** The last prompt was closed by the user (not failed). */
  declined?: boolean;
}

export class InteractionCooldown {
  private readonly records: PersistedRecords<CooldownRecord>;
  private readonly policy: InteractionCooldownPolicy;

  constructor(
    private readonly clock: Clock,
    store?: KeyValueStore,
    policy: Partial<InteractionCooldownPolicy> = {},
    emit?: Emit<CoreEventType>,
  ) {
    this.policy = { ...DEFAULT_INTERACTION_COOLDOWN, ...policy };
    this.records = new PersistedRecords<CooldownRecord>({ store, prefix: STORE_PREFIXES.cooldown, what: "a sign-in prompt cool-down", emit, read: readCooldown });
  }

  load(): Promise<void> {
    return this.records.load();
  }

  /**
   * Throws `interaction_cooldown` while prompts for `key` are paused; for an app's own prompt
   * (`appInitiated`) also after the pause when the last prompt was closed by the user.
   */
  check(key = "default", options: { appInitiated?: boolean } = {}): void {
    const remaining = this.remainingMs(key);
    if (remaining > 0) {
      throw new AuthShellError("interaction_cooldown", `Sign-in prompt paused for ${Math.ceil(remaining / 1000)} s after a cancelled or failed prompt`, {
        retryable: true,
        retryAfterMs: remaining,
      });
    }
    if (options.appInitiated && this.records.get(key)?.declined) {
      throw new AuthShellError(
        "interaction_cooldown",
        "The sign-in window was closed; an app's own request does not reopen it — a click in the page, or Sign in in the extension, does",
      );
    }
  }

  remainingMs(key = "default"): number {
    const record = this.records.get(key);
    return record ? Math.max(0, record.until - this.clock.now()) : 0;
  }

  /** Epoch ms until which prompts for `key` are paused, if they are. */
  cooldownUntil(key = "default"): number | undefined {
    return this.remainingMs(key) > 0 ? this.records.get(key)?.until : undefined;
  }

  /** A prompt was cancelled (`declined`: closed by the user) or failed: start (or lengthen) the cool-down. */
  async recordFailure(key = "default", options: { declined?: boolean } = {}): Promise<number> {
    const failures = (this.records.get(key)?.failures ?? 0) + 1;
    const waitMs = Math.min(this.policy.maxMs, this.policy.baseMs * Math.pow(this.policy.factor, failures - 1));
    const record: CooldownRecord = { until: this.clock.now() + waitMs, failures, ...(options.declined ? { declined: true } : {}) };
    await this.records.set(key, record);
    return waitMs;
  }

  /** A prompt succeeded: clear the cool-down and its escalation. */
  recordSuccess(key = "default"): Promise<void> {
    return this.records.delete(key);
  }
}
