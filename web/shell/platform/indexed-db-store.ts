import { openDB, type IDBPDatabase } from "idb";
import type { KeyValueStore, StoreBatch } from "../../../shared/ports.js";

const STORE = "records";

/**
 * A KeyValueStore over IndexedDB, shared by every tab of the origin and — unlike Web Storage —
 * consistent across tabs: a write whose transaction has completed is seen by every transaction any tab
 * starts afterwards. That is what a check → lock → re-check needs (Chromium propagates localStorage
 * and BroadcastChannel messages to other tabs asynchronously, with no ordering against Web Locks).
 */
export class IndexedDbStore implements KeyValueStore {
  private constructor(private readonly db: IDBPDatabase) {}

  static async open(name = "authshell"): Promise<IndexedDbStore> {
    const db = await openDB(name, 1, {
      upgrade(database) {
        database.createObjectStore(STORE);
      },
    });
    return new IndexedDbStore(db);
  }

  async get<T = unknown>(key: string): Promise<T | undefined> {
    return (await this.db.get(STORE, key)) as T | undefined;
  }

  async entries<T = unknown>(prefix: string): Promise<Array<[string, T]>> {
    const result: Array<[string, T]> = [];
    const tx = this.db.transaction(STORE);
    for (let cursor = await tx.store.openCursor(IDBKeyRange.lowerBound(prefix)); cursor; cursor = await cursor.continue()) {
      const key = String(cursor.key);
      if (!key.startsWith(prefix)) break;
      result.push([key, cursor.value as T]);
    }
    await tx.done;
    return result;
  }

  async set(key: string, value: unknown): Promise<void> {
    await this.batch({ put: { [key]: value } });
  }

  async delete(key: string): Promise<void> {
    await this.batch({ delete: [key] });
  }

  /** One readwrite transaction: all or nothing; resolves once it has committed. */
  async batch(ops: StoreBatch): Promise<void> {
    const tx = this.db.transaction(STORE, "readwrite");
    try {
      // A failed request fails `tx.done`, which is what we await; the requests' own rejections are duplicates.
      for (const [key, value] of Object.entries(ops.put ?? {})) tx.store.put(value, key).catch(() => undefined);
      for (const key of ops.delete ?? []) tx.store.delete(key).catch(() => undefined);
    } catch (error) {
      // e.g. a DataCloneError from a value that cannot be stored: write nothing of the batch.
      tx.abort();
      await tx.done.catch(() => undefined);
      throw error;
    }
    await tx.done;
  }

  async clear(): Promise<void> {
    const tx = this.db.transaction(STORE, "readwrite");
    void tx.store.clear();
    await tx.done;
  }
}
