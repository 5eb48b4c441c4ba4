/**
 * The activity record: every token the broker served (an ActivityEntry — who, for what, how — never
 * a token value), kept in the broker's encrypted store within a bound: at most `maxEntries` entries,
 * none older than `maxDays` shown, none older than `maxDays` + 1 hour stored. docs/threat-model.md
 * says why it exists and what it answers.
 *
 * Cost: recording is off the answer's path. `record()` only queues; one write at a time drains the
 * queue, and writes start at most every `minIntervalMs` (100 ms): the first token after a quiet spell
 * is written at once, a burst becomes one store batch per interval — so a page asking hundreds of
 * times a second pays for a few writes, not hundreds. (A worker killed inside that interval loses
 * what it had queued: at most 100 ms of entries, and only under load.) Entries live in chunks of `chunkSize`
 * under `activity:chunk:<n>` with a small index (`activity:index`: chunk bounds and each origin's last
 * use) written in the same batch, so a write re-seals the open chunk and the index, never the whole
 * record, and pruning deletes whole chunks. Store keys carry no origin or account: those are sealed.
 */
import { AuthShellError } from "../../shared/errors.js";
import { clockedEmitter, type EventSink, type ExtensionEventType } from "../../shared/events.js";
import type { Clock, KeyValueStore } from "../../shared/ports.js";
import type { ActivityEntry, ActivityQuery } from "../protocol/views.js";

export interface ActivityBound {
  maxDays: number;
  maxEntries: number;
}

/** The documented default bound (README "Activity record", docs/threat-model.md). */
export const DEFAULT_ACTIVITY_BOUND: ActivityBound = { maxDays: 30, maxEntries: 10_000 };
export const DEFAULT_CHUNK_SIZE = 100;

export const ACTIVITY_INDEX_KEY = "activity:index";
export const ACTIVITY_CHUNK_PREFIX = "activity:chunk:";
const DAY_MS = 86_400_000;
/** How long past `maxDays` an entry may linger in a chunk with newer ones before the chunk is trimmed. */
const TRIM_SLACK_MS = 3_600_000;

interface ChunkInfo {
  key: string;
  first: number;
  last: number;
  count: number;
  /** Every origin and frame origin in the chunk: a query for a site skips the chunks it never used. */
  origins: string[];
  /** Every account (home account ID and username, lower case) in the chunk, for the same reason. */
  accounts: string[];
}

const addOnce = (list: string[], ...values: string[]) => {
  for (const value of values) if (!list.includes(value)) list.push(value);
};

interface ActivityIndex {
  /** Number of the next chunk key. */
  next: number;
  /** Oldest first. */
  chunks: ChunkInfo[];
  /** Newest `at` per frame origin (the popup's "last used"). */
  lastUse: Record<string, number>;
}

interface Loaded {
  store: KeyValueStore;
  index: ActivityIndex;
  /** The entries of the newest chunk while it has room (written again with each append). */
  open: ActivityEntry[];
}

export interface ActivityRecordDeps {
  /** The store to use now (a store whose connection was lost is replaced: the index is read again). */
  store(): Promise<KeyValueStore>;
  clock: Clock;
  events: EventSink<ExtensionEventType>;
  bound?: Partial<ActivityBound>;
  chunkSize?: number;
  /** Least time between the starts of two writes (default 100 ms; 0 writes as soon as the last one ended). */
  minIntervalMs?: number;
  /** Runs `run` after `ms`; returns a cancel function. Default setTimeout (tests pass their own). */
  schedule?(run: () => void, ms: number): () => void;
}

const DEFAULT_MIN_INTERVAL_MS = 100;

const scheduleWithTimer = (run: () => void, ms: number) => {
  const timer = setTimeout(run, ms);
  return () => clearTimeout(timer);
};

const emptyIndex = (): ActivityIndex => ({ next: 0, chunks: [], lastUse: {} });

export class ActivityRecord {
  readonly bound: ActivityBound;
  private readonly chunkSize: number;
  private queue: ActivityEntry[] = [];
  private draining: Promise<void> | undefined;
  private loaded: Loaded | undefined;
  private readonly minIntervalMs: number;
  private readonly schedule: NonNullable<ActivityRecordDeps["schedule"]>;
  /** Cancels the write scheduled for the end of the current interval. */
  private cancelScheduled: (() => void) | undefined;
  private lastWriteAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly deps: ActivityRecordDeps) {
    this.bound = { ...DEFAULT_ACTIVITY_BOUND, ...deps.bound };
    this.chunkSize = deps.chunkSize ?? DEFAULT_CHUNK_SIZE;
    this.minIntervalMs = deps.minIntervalMs ?? DEFAULT_MIN_INTERVAL_MS;
    this.schedule = deps.schedule ?? scheduleWithTimer;
  }

  /** Queues one served token; written in the background (a failure is an `activity.write_failed` event). */
  record(entry: ActivityEntry): void {
    this.queue.push(entry);
    this.kick();
  }

  /** Entries matching `query`, newest first, within the bound. */
  async query(query: ActivityQuery = {}): Promise<ActivityEntry[]> {
    await this.settled();
    const state = await this.load();
    const since = Math.max(query.since ?? 0, this.cutoff());
    const limit = query.limit ?? Number.POSITIVE_INFINITY;
    const account = query.account?.toLowerCase();
    const matches = (e: ActivityEntry) =>
      e.at >= since &&
      (query.origin === undefined || e.origin === query.origin || e.frameOrigin === query.origin) &&
      (account === undefined || e.homeAccountId.toLowerCase() === account || e.username.toLowerCase() === account);
    const out: ActivityEntry[] = [];
    const newest = state.index.chunks.at(-1);
    for (const chunk of [...state.index.chunks].reverse()) {
      if (chunk.last < since) continue;
      if (query.origin !== undefined && !chunk.origins.includes(query.origin)) continue;
      if (account !== undefined && !chunk.accounts.includes(account)) continue;
      const entries = chunk === newest ? state.open : ((await state.store.get<ActivityEntry[]>(chunk.key)) ?? []);
      for (let i = entries.length - 1; i >= 0 && out.length < limit; i--) if (matches(entries[i]!)) out.push(entries[i]!);
      if (out.length >= limit) break;
    }
    return out;
  }

  /** When each frame origin was last served a token (within the bound). */
  async lastUse(): Promise<Record<string, number>> {
    await this.settled();
    const { index } = await this.load();
    const cutoff = this.cutoff();
    return Object.fromEntries(Object.entries(index.lastUse).filter(([, at]) => at >= cutoff));
  }

  /** Writes what is queued now, without waiting for the interval; resolves once it is written (or reported lost). */
  async settled(): Promise<void> {
    while (this.draining || this.queue.length > 0) {
      this.kick(true);
      await this.draining;
    }
  }

  private cutoff(): number {
    return this.deps.clock.now() - this.bound.maxDays * DAY_MS;
  }

  /** Starts a write of the queue now, or schedules one for the end of the interval; `now` skips the wait. */
  private kick(now = false): void {
    if (this.draining || this.queue.length === 0) return;
    const wait = now ? 0 : this.lastWriteAt + this.minIntervalMs - this.deps.clock.now();
    if (wait > 0) {
      this.cancelScheduled ??= this.schedule(() => {
        this.cancelScheduled = undefined;
        this.kick();
      }, wait);
      return;
    }
    this.cancelScheduled?.();
    this.cancelScheduled = undefined;
    this.lastWriteAt = this.deps.clock.now();
    this.draining = this.write(this.queue.splice(0)).finally(() => {
      this.draining = undefined;
      this.kick(); // What was queued during the write goes at the end of its interval.
    });
  }

  private async write(batch: ActivityEntry[]): Promise<void> {
    try {
      await this.append(batch);
    } catch (error) {
      this.loaded = undefined; // What the store holds is unknown now: read the index again.
      clockedEmitter(this.deps.clock, this.deps.events)(
        "activity.write_failed",
        `The activity record could not be written (${AuthShellError.from(error).code}); ${batch.length} served token(s) are not on record`,
        { lost: batch.length },
      );
    }
  }

  private async load(): Promise<Loaded> {
    const store = await this.deps.store();
    if (this.loaded?.store === store) return this.loaded;
    const stored = await store.get<ActivityIndex>(ACTIVITY_INDEX_KEY);
    const index = stored && Array.isArray(stored.chunks) ? stored : emptyIndex();
    const newest = index.chunks.at(-1);
    let open: ActivityEntry[] = [];
    if (newest) {
      open = (await store.get<ActivityEntry[]>(newest.key)) ?? [];
      newest.count = open.length; // A chunk dropped by the store (undecryptable) counts as empty.
    }
    this.loaded = { store, index, open };
    return this.loaded;
  }

  /** Appends a batch and prunes, in one store batch; memory changes only once the write landed. */
  private async append(batch: ActivityEntry[]): Promise<void> {
    const state = await this.load();
    const index: ActivityIndex = {
      next: state.index.next,
      chunks: state.index.chunks.map((c) => ({ ...c, origins: [...c.origins], accounts: [...c.accounts] })),
      lastUse: { ...state.index.lastUse },
    };
    const put: Record<string, unknown> = {};
    let open = [...state.open];
    for (const entry of batch) {
      let chunk = index.chunks.at(-1);
      if (!chunk || chunk.count >= this.chunkSize) {
        chunk = { key: `${ACTIVITY_CHUNK_PREFIX}${String(index.next++).padStart(10, "0")}`, first: entry.at, last: entry.at, count: 0, origins: [], accounts: [] };
        index.chunks.push(chunk);
        open = [];
      }
      open.push(entry);
      chunk.count = open.length;
      chunk.first = Math.min(chunk.first, entry.at);
      chunk.last = Math.max(chunk.last, entry.at);
      addOnce(chunk.origins, entry.origin, entry.frameOrigin);
      addOnce(chunk.accounts, entry.homeAccountId.toLowerCase(), entry.username.toLowerCase());
      put[chunk.key] = open;
      index.lastUse[entry.frameOrigin] = Math.max(index.lastUse[entry.frameOrigin] ?? 0, entry.at);
    }
    const removed = await this.prune(index, state, put);
    for (const key of removed) delete put[key];
    if (index.chunks.length === 0) open = [];
    put[ACTIVITY_INDEX_KEY] = index;
    await state.store.batch({ put, delete: removed });
    this.loaded = { store: state.store, index, open };
  }

  /**
   * Applies the bound to `index`: whole chunks past the age or over the count go; the oldest chunk
   * is rewritten without its expired entries once they are an hour past the age. Returns the chunk
   * keys to delete; rewritten chunks are added to `put`.
   */
  private async prune(index: ActivityIndex, state: Loaded, put: Record<string, unknown>): Promise<string[]> {
    const cutoff = this.cutoff();
    const removed: string[] = [];
    let total = index.chunks.reduce((n, c) => n + c.count, 0);
    while (index.chunks.length > 0 && (index.chunks[0]!.last < cutoff || total > this.bound.maxEntries)) {
      const gone = index.chunks.shift()!;
      total -= gone.count;
      removed.push(gone.key);
    }
    const oldest = index.chunks[0];
    if (oldest && oldest.first < cutoff - TRIM_SLACK_MS) {
      const entries = (put[oldest.key] as ActivityEntry[] | undefined) ?? (await state.store.get<ActivityEntry[]>(oldest.key)) ?? [];
      // In place: when the oldest chunk is also the open one, `entries` is the array `append` keeps.
      entries.splice(0, entries.length, ...entries.filter((e) => e.at >= cutoff));
      put[oldest.key] = entries;
      oldest.count = entries.length;
      oldest.first = entries.reduce((min, e) => Math.min(min, e.at), oldest.last);
    }
    for (const [origin, at] of Object.entries(index.lastUse)) if (at < cutoff) delete index.lastUse[origin];
    return removed;
  }
}
