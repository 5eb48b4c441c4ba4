/**
 * The store's AES-GCM 256 key: generated once as a NON-extractable WebCrypto key and persisted in
 * IndexedDB itself (a CryptoKey is structured-clonable), so a restarted browser decrypts its cache
 * while no script — not even the extension's own — can read the raw key bytes.
 *
 * A key record that is not such a key (overwritten, or written by another version) is replaced, and
 * every entry with it: they were sealed with a key that is gone, so none of them can be read. Using
 * the damaged record instead would fail only at the first write — after an IdP round trip whose
 * result is then thrown away.
 */
import type { IDBPDatabase } from "idb";
import { ENTRY_STORE } from "./store-schema.js";

export const KEY_STORE = "keys";
const KEY_ID = "store-key";

export interface StoreKey {
  key: CryptoKey;
  /** True when a damaged key record was replaced and the entries it sealed were discarded. */
  replaced: boolean;
}

/** A structural check only (no await), so it can run inside the transaction that replaces the key. */
function isStoreKey(value: unknown): value is CryptoKey {
  if (!value || typeof value !== "object") return false;
  // A plain object shaped like a key is not one: WebCrypto would reject it at the first seal.
  if (typeof CryptoKey !== "undefined" && !(value instanceof CryptoKey)) return false;
  const key = value as Partial<CryptoKey>;
  const algorithm = key.algorithm as Partial<AesKeyAlgorithm> | undefined;
  return (
    key.type === "secret" &&
    algorithm?.name === "AES-GCM" &&
    Array.isArray(key.usages) &&
    key.usages.includes("encrypt") &&
    key.usages.includes("decrypt")
  );
}

export async function loadOrCreateStoreKey(db: IDBPDatabase, subtle: SubtleCrypto): Promise<StoreKey> {
  const existing: unknown = await db.get(KEY_STORE, KEY_ID);
  if (isStoreKey(existing)) return { key: existing, replaced: false };
  // Generate before the transaction: awaiting WebCrypto inside it would let it auto-commit.
  const fresh = await subtle.generateKey({ name: "AES-GCM", length: 256 }, false, ["encrypt", "decrypt"]);
  const tx = db.transaction([KEY_STORE, ENTRY_STORE], "readwrite");
  const keys = tx.objectStore(KEY_STORE);
  // Re-read inside the transaction: a concurrent opener may have stored a good key first; then it wins.
  const current: unknown = await keys.get(KEY_ID);
  if (isStoreKey(current)) {
    await tx.done;
    return { key: current, replaced: false };
  }
  const damaged = current !== undefined;
  if (damaged) await tx.objectStore(ENTRY_STORE).clear();
  await keys.put(fresh, KEY_ID);
  await tx.done;
  return { key: fresh, replaced: damaged };
}
