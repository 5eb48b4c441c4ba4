/**
 * KeyValueStore over IndexedDB (via `idb`) whose values are AES-GCM encrypted: each value gets a
 * fresh 12-byte IV and is bound to its key as additional data, so neither values nor refresh tokens
 * are ever stored in clear and ciphertexts cannot be swapped between keys. Keys stay readable (they
 * are opaque cache ids such as "at:<account>|<client>|<scopes>", never token text) so that
 * `entries(prefix)` remains an ordered range scan. Only the service worker opens it.
 */
import { openDB, type IDBPDatabase } from "idb";
import type { KeyValueStore, StoreBatch } from "../../shared/ports.js";
import { AuthShellError } from "../../shared/errors.js";
import { KEY_STORE, loadOrCreateStoreKey } from "./store-key.js";
import { decodeValue, encodeValue } from "./value-codec.js";

const ENTRY_STORE = "entries";
const DEFAULT_DB_NAME = "rtb-broker";

interface SealedValue {
  iv: Uint8Array;
  data: ArrayBuffer;
}

export interface EncryptedStoreOptions {
  dbName?: string;
  subtle?: SubtleCrypto;
  random?: (length: number) => Uint8Array;
}

export class EncryptedIdbStore implements KeyValueStore {
  private constructor(
    private readonly db: IDBPDatabase,
    private readonly key: CryptoKey,
    private readonly subtle: SubtleCrypto,
    private readonly random: (length: number) => Uint8Array,
  ) {}

  static async open(options: EncryptedStoreOptions = {}): Promise<EncryptedIdbStore> {
    const subtle = options.subtle ?? crypto.subtle;
    const random = options.random ?? ((n: number) => crypto.getRandomValues(new Uint8Array(n)));
    try {
      const db = await openDB(options.dbName ?? DEFAULT_DB_NAME, 1, {
        upgrade(database) {
          if (!database.objectStoreNames.contains(ENTRY_STORE)) database.createObjectStore(ENTRY_STORE);
          if (!database.objectStoreNames.contains(KEY_STORE)) database.createObjectStore(KEY_STORE);
        },
      });
      const key = await loadOrCreateStoreKey(db, subtle);
      return new EncryptedIdbStore(db, key, subtle, random);
    } catch (error) {
      throw new AuthShellError("storage_error", "Could not open the encrypted token store", { cause: error });
    }
  }

  async get<T = unknown>(key: string): Promise<T | undefined> {
    const sealed = (await this.db.get(ENTRY_STORE, key)) as SealedValue | undefined;
    if (!sealed) return undefined;
    return (await this.open(key, sealed)) as T | undefined;
  }

  async entries<T = unknown>(prefix: string): Promise<Array<[string, T]>> {
    const range = IDBKeyRange.bound(prefix, `${prefix}\uffff`);
    const tx = this.db.transaction(ENTRY_STORE, "readonly");
    const rows: Array<[string, SealedValue]> = [];
    let cursor = await tx.store.openCursor(range);
    while (cursor) {
      rows.push([String(cursor.key), cursor.value as SealedValue]);
      cursor = await cursor.continue();
    }
    await tx.done;
    const out: Array<[string, T]> = [];
    for (const [key, sealed] of rows) {
      const value = await this.open(key, sealed);
      if (value !== undefined) out.push([key, value as T]);
    }
    return out;
  }

  async set(key: string, value: unknown): Promise<void> {
    await this.batch({ put: { [key]: value } });
  }

  async delete(key: string): Promise<void> {
    await this.db.delete(ENTRY_STORE, key);
  }

  async batch(ops: StoreBatch): Promise<void> {
    // Encrypt first (async WebCrypto would let an IndexedDB transaction auto-commit), then write
    // every put and delete in one transaction: all land together or none does.
    const puts = await Promise.all(
      Object.entries(ops.put ?? {}).map(async ([key, value]) => [key, await this.seal(key, value)] as const),
    );
    const tx = this.db.transaction(ENTRY_STORE, "readwrite");
    const writes: Array<Promise<unknown>> = [];
    for (const key of ops.delete ?? []) writes.push(tx.store.delete(key));
    for (const [key, sealed] of puts) writes.push(tx.store.put(sealed, key));
    try {
      await Promise.all([...writes, tx.done]);
    } catch (error) {
      throw new AuthShellError("storage_error", "Could not write to the encrypted token store", { cause: error });
    }
  }

  async clear(): Promise<void> {
    await this.db.clear(ENTRY_STORE);
  }

  close(): void {
    this.db.close();
  }

  private async seal(key: string, value: unknown): Promise<SealedValue> {
    const iv = this.random(12);
    const data = await this.subtle.encrypt(
      { name: "AES-GCM", iv: iv as BufferSource, additionalData: new TextEncoder().encode(key) },
      this.key,
      encodeValue(value) as BufferSource,
    );
    return { iv, data };
  }

  /** Decrypts; an entry that fails authentication (tampered, or sealed by a lost key) is dropped. */
  private async open(key: string, sealed: SealedValue): Promise<unknown> {
    try {
      const plain = await this.subtle.decrypt(
        { name: "AES-GCM", iv: sealed.iv as BufferSource, additionalData: new TextEncoder().encode(key) },
        this.key,
        sealed.data,
      );
      return decodeValue(plain);
    } catch {
      await this.db.delete(ENTRY_STORE, key).catch(() => undefined);
      return undefined;
    }
  }
}
