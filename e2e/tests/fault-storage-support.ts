/**
 * Probes of the broker's IndexedDB for the storage cells (fault-storage*.spec.ts), run inside the
 * extension's service worker: which records are stored, and deleting some of them as a fault would.
 */
import type { Worker } from "@playwright/test";

/** The keys of the broker's encrypted records (opaque cache ids, never token text). */
export function storedKeys(worker: Worker): Promise<string[]> {
  return worker.evaluate(
    () =>
      new Promise<string[]>((resolve, reject) => {
        const open = indexedDB.open("rtb-broker");
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const keys = open.result.transaction("entries").objectStore("entries").getAllKeys();
          keys.onsuccess = () => {
            open.result.close();
            resolve(keys.result.map(String));
          };
        };
      }),
  );
}

/** Deletes the records of one object store whose key starts with `prefix`; returns how many. */
export function deleteRecords(worker: Worker, store: "entries" | "keys", prefix: string): Promise<number> {
  return worker.evaluate(
    ({ store, prefix }) =>
      new Promise<number>((resolve, reject) => {
        const open = indexedDB.open("rtb-broker");
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const tx = open.result.transaction(store, "readwrite");
          const keys = tx.objectStore(store).getAllKeys();
          let deleted = 0;
          keys.onsuccess = () => {
            for (const key of keys.result.filter((k) => String(k).startsWith(prefix))) {
              tx.objectStore(store).delete(key);
              deleted++;
            }
          };
          tx.oncomplete = () => {
            open.result.close();
            resolve(deleted);
          };
          tx.onerror = () => reject(tx.error);
        };
      }),
    { store, prefix },
  );
}
