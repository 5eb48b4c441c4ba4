import * as v from "valibot";
import { AuthShellError } from "../errors.js";
import type { CoreEventType, Emit } from "../events.js";
import type { KeyValueStore, StoreBatch } from "../ports.js";
import type { StorePrefix } from "./key-prefixes.js";

interface PersistedRecordsOptions<T> {
  /** Absent: the records live in memory only. */
  store?: KeyValueStore | undefined;
  prefix: StorePrefix;
  /** What one record is, for the failure event ("a Retry-After wait"). */
  what: string;
  /**
   * Reads one stored value: the record, or undefined when it is malformed or no longer worth keeping
   * (an expired wait). Those are deleted from the store on load.
   */
  read(value: unknown, key: string): T | undefined;
  /** On load, for a key already in memory: the record to keep. Default: the one in memory. */
  merge?(inMemory: T, stored: T): T;
  /** Told when a write fails. */
  emit?: Emit<CoreEventType> | undefined;
}

/** A `read` from a valibot schema: the parsed record (a copy, unknown keys dropped), or undefined. */
export function readWith<T>(schema: v.GenericSchema<unknown, T>): (value: unknown) => T | undefined {
  return (value) => {
    const parsed = v.safeParse(schema, value);
    return parsed.success ? parsed.output : undefined;
  };
}

/**
 * Records by key, held in memory and written through to a KeyValueStore under one prefix, so a
 * restarted service worker (or another tab) that calls `load()` finds them. The one failure rule
 * for every holder: memory is authoritative, and a write the store refuses is a
 * `storage.write_failed` event, never a rejection — the caller's decision (a closed gate, an open
 * breaker, a cool-down) holds for this worker's lifetime either way.
 */
export class PersistedRecords<T> {
  private readonly records = new Map<string, T>();
  private writes: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: PersistedRecordsOptions<T>) {}

  /** Adds the stored records (memory wins unless `merge` says otherwise) and deletes the unreadable ones. */
  async load(): Promise<void> {
    const { store, prefix, read, merge } = this.options;
    if (!store) return;
    const unreadable: string[] = [];
    for (const [storeKey, value] of await store.entries(prefix)) {
      const key = storeKey.slice(prefix.length);
      const record = read(value, key);
      if (record === undefined) {
        unreadable.push(storeKey);
        continue;
      }
      const current = this.records.get(key);
      this.records.set(key, current === undefined ? record : merge ? merge(current, record) : current);
    }
    if (unreadable.length > 0) await this.write({ delete: unreadable });
  }

  get(key: string): T | undefined {
    return this.records.get(key);
  }

  entries(): Array<[string, T]> {
    return [...this.records];
  }

  /** Takes effect in memory at once; resolves once the store has it or the failure was reported. */
  set(key: string, record: T): Promise<void> {
    this.records.set(key, record);
    return this.write({ put: { [this.options.prefix + key]: record } });
  }

  /** Forgets `key`; the store is written only when memory held it. */
  delete(key: string): Promise<void> {
    return this.deleteMany([key]);
  }

  /** Forgets every record for which `drop` is true (all of them without it). */
  deleteWhere(drop: (record: T, key: string) => boolean = () => true): Promise<void> {
    return this.deleteMany([...this.records].filter(([key, record]) => drop(record, key)).map(([key]) => key));
  }

  /** Resolves when every write so far has settled. */
  async flush(): Promise<void> {
    await this.writes;
  }

  private deleteMany(keys: string[]): Promise<void> {
    const held = keys.filter((key) => this.records.delete(key));
    if (held.length === 0) return Promise.resolve();
    return this.write({ delete: held.map((key) => this.options.prefix + key) });
  }

  private write(ops: StoreBatch): Promise<void> {
    const { store, emit, what, prefix } = this.options;
    if (!store) return Promise.resolve();
    const keys = [...Object.keys(ops.put ?? {}), ...(ops.delete ?? [])];
    const send = keys.length === 1 ? (ops.put ? store.set(keys[0]!, ops.put[keys[0]!]) : store.delete(keys[0]!)) : store.batch(ops);
    const done = send.catch((error: unknown) => {
      const code = AuthShellError.from(error, "storage_error").code;
      emit?.("storage.write_failed", `Could not save ${what} (${code}); kept in memory for now`, { prefix, code });
    });
    this.writes = Promise.all([this.writes, done]);
    return done;
  }
}
