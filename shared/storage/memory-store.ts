import type { KeyValueStore, StoreBatch } from "../ports.js";

type CloneFn = <T>(value: T) => T;

/**
 * The universal `structuredClone` when the runtime has it (every browser, service worker and
 * Node ≥ 17), else a JSON round trip. Reached through `globalThis` because the runtime-neutral
 * lib does not declare it.
 */
const cloneValue: CloneFn = (() => {
  const native = (globalThis as { structuredClone?: CloneFn }).structuredClone;
  if (typeof native === "function") return <T>(value: T): T => native(value);
  return <T>(value: T): T => (value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T));
})();

/**
 * An in-memory KeyValueStore: the store for tests and for the SPA without persistence. Values are
 * copied on the way in and out (structured clone), so callers never share references with the store.
 * `batch` clones every value before touching the map, so an uncloneable value rejects the whole
 * batch and nothing is written. Mutations apply synchronously when called, in call order.
 */
export class MemoryStore implements KeyValueStore {
  private readonly data = new Map<string, unknown>();

  async get<T = unknown>(key: string): Promise<T | undefined> {
    return this.data.has(key) ? cloneValue(this.data.get(key) as T) : undefined;
  }

  async entries<T = unknown>(prefix: string): Promise<Array<[string, T]>> {
    return [...this.data.keys()]
      .filter((key) => key.startsWith(prefix))
      .sort(compareKeys)
      .map((key) => [key, cloneValue(this.data.get(key) as T)]);
  }

  async set(key: string, value: unknown): Promise<void> {
    this.data.set(key, cloneValue(value));
  }

  async delete(key: string): Promise<void> {
    this.data.delete(key);
  }

  /** Deletes apply first, then puts; all or nothing. */
  async batch(ops: StoreBatch): Promise<void> {
    const puts = Object.entries(ops.put ?? {}).map(([key, value]) => [key, cloneValue(value)] as const);
    for (const key of ops.delete ?? []) this.data.delete(key);
    for (const [key, value] of puts) this.data.set(key, value);
  }

  async clear(): Promise<void> {
    this.data.clear();
  }

  /** Number of stored keys (for tests). */
  get size(): number {
    return this.data.size;
  }
}

/** Key order by UTF-16 code units, as IndexedDB orders string keys. */
export function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
