import type { KeyValueStore, StoreBatch } from "../../../shared/ports.js";

const STORE = "records";

/** The result of an IndexedDB request, or its error. */
function settled<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

/** Resolves once the transaction has committed; rejects if it failed or was aborted. */
function committed(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = tx.onabort = () => reject(tx.error ?? new DOMException("The transaction was aborted", "AbortError"));
  });
}

/**
 * A KeyValueStore over IndexedDB, shared by every tab of the origin and — unlike Web Storage —
 * consistent across tabs: a write whose transaction has completed is seen by every transaction any tab
 * starts afterwards. That is what a check → lock → re-check needs (Chromium propagates localStorage
 * and BroadcastChannel messages to other tabs asynchronously, with no ordering against Web Locks).
 * Written against the raw API (a get, a cursor, a readwrite batch) rather than the `idb` wrapper: the
 * page's shell needs only these, and the wrapper was a fifth of the shell's bundle.
 */
export class IndexedDbStore implements KeyValueStore {
  private constructor(private readonly db: IDBDatabase) {}

  static async open(name = "authshell"): Promise<IndexedDbStore> {
    const request = indexedDB.open(name, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    return new IndexedDbStore(await settled(request));
  }

  /** The object store in a new transaction, and that transaction's commit. */
  private store(mode: IDBTransactionMode): [IDBObjectStore, Promise<void>] {
    const tx = this.db.transaction(STORE, mode);
    return [tx.objectStore(STORE), committed(tx)];
  }

  async get<T = unknown>(key: string): Promise<T | undefined> {
    return (await settled(this.db.transaction(STORE).objectStore(STORE).get(key))) as T | undefined;
  }

  async entries<T = unknown>(prefix: string): Promise<Array<[string, T]>> {
    const [store, done] = this.store("readonly");
    const result: Array<[string, T]> = [];
    const cursor = store.openCursor(IDBKeyRange.lowerBound(prefix));
    // The cursor walks in key order from `prefix`: stop at the first key outside it.
    cursor.onsuccess = () => {
      const at = cursor.result;
      if (!at || !String(at.key).startsWith(prefix)) return;
      result.push([String(at.key), at.value as T]);
      at.continue();
    };
    await done;
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
    const [store, done] = this.store("readwrite");
    try {
      // A failed request fails the transaction, which `done` reports.
      for (const [key, value] of Object.entries(ops.put ?? {})) store.put(value, key);
      for (const key of ops.delete ?? []) store.delete(key);
    } catch (error) {
      // e.g. a DataCloneError from a value that cannot be stored: write nothing of the batch.
      store.transaction.abort();
      await done.catch(() => undefined);
      throw error;
    }
    await done;
  }

  async clear(): Promise<void> {
    const [store, done] = this.store("readwrite");
    store.clear();
    await done;
  }
}
