/**
 * KeyValueStore over IndexedDB (via `idb`) whose values are AES-GCM encrypted: each value gets a
 * fresh 12-byte IV and is bound to its key as additional data, so neither values nor refresh tokens
 * are ever stored in clear and ciphertexts cannot be swapped between keys. Keys stay readable (they
 * are opaque cache ids such as "at:<account>|<client>|<scopes>", never token text) so that
 * `entries(prefix)` remains an ordered range scan. Only the service worker opens it.
 */
import type { IDBPDatabase } from "idb";
import type { Emit, ExtensionEventType } from "../../shared/events.js";
import type { KeyValueStore, StoreBatch } from "../../shared/ports.js";
import { AuthShellError } from "../../shared/errors.js";
import { webRandom } from "../../shared/platform/web-crypto.js";
import { loadOrCreateStoreKey } from "./store-key.js";
import { ENTRY_STORE, discardDatabase, openStoreDatabase, type SchemaProblem } from "./store-schema.js";
import { decodeValue, encodeValue } from "./value-codec.js";

const DEFAULT_DB_NAME = "rtb-broker";
/** Outside every cache prefix ("acct:", "at:", …), and deleted again at once. */
const PROBE_KEY = "\u0000rtb-probe";

type ResetReason = SchemaProblem | "key_damaged" | "store_unusable";

const RESET_TEXT: Record<ResetReason, string> = {
  version_mismatch: "the database was at a version this build cannot read",
  missing_stores: "the database had no token object stores",
  key_damaged: "its encryption key record was damaged",
  store_unusable: "it failed a write-and-read check",
};

interface SealedValue {
  iv: Uint8Array;
  data: ArrayBuffer;
}

export interface EncryptedStoreOptions {
  dbName?: string;
  subtle?: SubtleCrypto;
  random?: (length: number) => Uint8Array;
  /** Told (token-free) when an unreadable store was discarded, an entry dropped, a write failed or the connection lost. */
  emit?: Emit<ExtensionEventType>;
  /**
   * Called once if the connection is lost after open (another opener upgrades or deletes the
   * database, or the browser closes it) or a write fails (disk full, over quota): this store then
   * cannot keep tokens, so its owner opens (and probes) a new one.
   */
  onConnectionLost?: () => void;
}

export class EncryptedIdbStore implements KeyValueStore {
  private constructor(
    private readonly db: IDBPDatabase,
    private readonly key: CryptoKey,
    private readonly subtle: SubtleCrypto,
    private readonly random: (length: number) => Uint8Array,
    private readonly options: EncryptedStoreOptions = {},
  ) {}

  /** Dropped entries are reported once per open store: a burst of them is one fault, not many. */
  private droppedReported = false;

  /**
   * Opens the store and proves it works (seal, write, read back, unseal, delete) before the broker
   * uses it, so no IdP round trip is ever spent on a result that cannot be stored. What cannot be
   * read is discarded once, with one event, and the broker goes on with a clean store. A store that
   * still fails after that fails fast with a non-retryable `storage_error`.
   */
  static async open(options: EncryptedStoreOptions = {}): Promise<EncryptedIdbStore> {
    const subtle = options.subtle ?? crypto.subtle;
    const random = options.random ?? ((n: number) => webRandom.bytes(n));
    const name = options.dbName ?? DEFAULT_DB_NAME;
    let reason: ResetReason | undefined;
    let lastError: unknown;
    // Attempt 1 uses what is there; attempt 2 starts from a deleted database.
    for (let attempt = 1; attempt <= 2; attempt++) {
      let db: IDBPDatabase | undefined;
      try {
        let lost = false;
        const opened = await openStoreDatabase(name, (why) => {
          if (lost) return;
          lost = true;
          options.emit?.("storage.connection_lost", `The token store's database connection was lost (${why}); it will be opened again`, { why });
          options.onConnectionLost?.();
        });
        db = opened.db;
        reason ??= opened.discarded;
        const { key, replaced } = await loadOrCreateStoreKey(db, subtle);
        if (replaced) reason ??= "key_damaged";
        const store = new EncryptedIdbStore(db, key, subtle, random, options);
        await store.probe();
        if (reason) emitReset(options, reason);
        return store;
      } catch (error) {
        lastError = error;
        db?.close();
        if (attempt === 1) {
          reason ??= "store_unusable";
          try {
            await discardDatabase(name);
          } catch (deleteError) {
            lastError = deleteError;
            break;
          }
        }
      }
    }
    throw new AuthShellError(
      "storage_error",
      "The browser's token store cannot be used (IndexedDB refused to open or write it). Check that the browser allows extension storage and has free disk space.",
      { retryable: false, cause: lastError },
    );
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
    try {
      const tx = this.db.transaction(ENTRY_STORE, "readwrite");
      const writes: Array<Promise<unknown>> = [];
      for (const key of ops.delete ?? []) writes.push(tx.store.delete(key));
      for (const [key, sealed] of puts) writes.push(tx.store.put(sealed, key));
      await Promise.all([...writes, tx.done]);
    } catch (error) {
      this.writeFailed(error);
      throw new AuthShellError("storage_error", "Could not write to the encrypted token store", { cause: error });
    }
  }

  private writeFailedReported = false;
  private probing = false;

  /**
   * A write failed after the store opened (disk full, quota exceeded, a dying connection): tell the
   * owner once, who drops this store and opens a new one — whose probe fails fast if writes still
   * fail. Otherwise every request spent an IdP round trip (a rotated refresh token among its
   * results) on tokens that could not be kept: 4 refresh grants for 4 asks before this.
   */
  private writeFailed(error: unknown): void {
    // During open's probe the store is not handed out yet: open() itself fails or recovers.
    if (this.writeFailedReported || this.probing) return;
    this.writeFailedReported = true;
    const name = error instanceof Error || error instanceof DOMException ? error.name : "unknown";
    this.options.emit?.(
      "storage.write_failed",
      `The token store could not be written (${name}); it will be opened and checked again before the next sign-in or refresh`,
      { name },
    );
    this.options.onConnectionLost?.();
  }

  async clear(): Promise<void> {
    await this.db.clear(ENTRY_STORE);
  }

  close(): void {
    this.db.close();
  }

  /** Proves a write, a read and the key: the first two are what a token response needs to be kept. */
  private async probe(): Promise<void> {
    // A key of its own: two openers probing at once must not read each other's marker.
    const marker = Array.from(this.random(8)).join(".");
    const probeKey = `${PROBE_KEY}:${marker}`;
    this.probing = true;
    try {
      await this.batch({ put: { [probeKey]: marker } });
    } finally {
      this.probing = false;
    }
    const back = await this.get(probeKey);
    await this.db.delete(ENTRY_STORE, probeKey);
    if (back !== marker) throw new Error("The token store did not read back what was written");
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
      const deleted = await this.db.delete(ENTRY_STORE, key).then(
        () => true,
        () => false,
      );
      if (!this.droppedReported) {
        this.droppedReported = true;
        this.options.emit?.("storage.entry_dropped", "A token store entry could not be decrypted (tampered with, or sealed by a lost key) and was dropped", { deleted });
      }
      return undefined;
    }
  }
}

function emitReset(options: EncryptedStoreOptions, reason: ResetReason): void {
  options.emit?.("storage.reset", `The token store could not be read (${RESET_TEXT[reason]}); it was cleared and starts empty — sign in again if asked`, { reason });
}
