import type { KeyValueStore, StoreBatch } from "../../../shared/ports.js";

/**
 * A KeyValueStore over Web Storage, shared by every tab of the origin. Holds only resilience state
 * (Retry-After gates, breaker state) — never tokens: MSAL keeps its own cache.
 */
export class LocalStorageStore implements KeyValueStore {
  constructor(
    private readonly storage: Storage,
    private readonly prefix = "authshell:",
  ) {}

  async get<T = unknown>(key: string): Promise<T | undefined> {
    const raw = this.storage.getItem(this.prefix + key);
    return raw === null ? undefined : (JSON.parse(raw) as T);
  }

  async entries<T = unknown>(prefix: string): Promise<Array<[string, T]>> {
    const result: Array<[string, T]> = [];
    for (let i = 0; i < this.storage.length; i++) {
      const full = this.storage.key(i);
      if (full === null || !full.startsWith(this.prefix + prefix)) continue;
      const raw = this.storage.getItem(full);
      if (raw !== null) result.push([full.slice(this.prefix.length), JSON.parse(raw) as T]);
    }
    return result.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }

  async set(key: string, value: unknown): Promise<void> {
    this.storage.setItem(this.prefix + key, JSON.stringify(value));
  }

  async delete(key: string): Promise<void> {
    this.storage.removeItem(this.prefix + key);
  }

  /**
   * All values are serialised before anything is written (an unstorable value fails the whole batch);
   * Web Storage writes are synchronous, so the writes cannot interleave with another tab's.
   */
  async batch(ops: StoreBatch): Promise<void> {
    const puts = Object.entries(ops.put ?? {}).map(([key, value]) => [this.prefix + key, JSON.stringify(value)] as const);
    for (const [key, text] of puts) this.storage.setItem(key, text);
    for (const key of ops.delete ?? []) this.storage.removeItem(this.prefix + key);
  }

  async clear(): Promise<void> {
    const mine: string[] = [];
    for (let i = 0; i < this.storage.length; i++) {
      const full = this.storage.key(i);
      if (full?.startsWith(this.prefix)) mine.push(full);
    }
    for (const key of mine) this.storage.removeItem(key);
  }
}
