/**
 * The store's AES-GCM 256 key: generated once as a NON-extractable WebCrypto key and persisted in
 * IndexedDB itself (a CryptoKey is structured-clonable), so a restarted browser decrypts its cache
 * while no script — not even the extension's own — can read the raw key bytes.
 */
import type { IDBPDatabase } from "idb";

export const KEY_STORE = "keys";
const KEY_ID = "store-key";

export async function loadOrCreateStoreKey(db: IDBPDatabase, subtle: SubtleCrypto): Promise<CryptoKey> {
  const existing = (await db.get(KEY_STORE, KEY_ID)) as CryptoKey | undefined;
  if (existing) return existing;
  const fresh = await subtle.generateKey({ name: "AES-GCM", length: 256 }, false, ["encrypt", "decrypt"]);
  try {
    // `add` fails if a concurrent opener stored its key first; then that key wins.
    await db.add(KEY_STORE, fresh, KEY_ID);
    return fresh;
  } catch {
    const winner = (await db.get(KEY_STORE, KEY_ID)) as CryptoKey | undefined;
    if (!winner) throw new Error("Could not persist the store key");
    return winner;
  }
}
