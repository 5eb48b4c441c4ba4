/**
 * Fills the extension's encrypted store from inside its service worker, for the memory bench: N
 * access tokens (copies of the one real cached token under other scopes) and M activity entries —
 * sealed with the store's own non-extractable key, in the store's own format (value codec, key as
 * AES-GCM additional data, the activity record's chunks and index). The worker is then restarted,
 * so the broker loads them as after a browser restart. Reaching that many through pages would take
 * 1,000 refresh grants and would meet the per-origin budgets that exist to stop exactly that.
 */
import type { Worker } from "@playwright/test";
import { ACTIVITY_CHUNK_PREFIX, ACTIVITY_INDEX_KEY, DEFAULT_CHUNK_SIZE } from "../../extension/activity/activity-record.js";
import { KEY_STORE } from "../../extension/storage/store-key.js";
import { ENTRY_STORE } from "../../extension/storage/store-schema.js";

export interface SeedCounts {
  accessTokens: number;
  activityEntries: number;
}

/**
 * In-worker source, kept as a string so no transpiler helper leaks into the code Playwright sends.
 * Mirrors extension/storage (encrypted-store.ts seal, value-codec.ts) and activity-record.ts.
 */
const SEED = `async ({ db: dbName, entryStore, keyStore, indexKey, chunkPrefix, chunkSize, accessTokens, activityEntries }) => {
  const db = await new Promise((resolve, reject) => { const r = indexedDB.open(dbName); r.onsuccess = () => resolve(r.result); r.onerror = () => reject(r.error); });
  const request = (store, mode, run) => new Promise((resolve, reject) => { const r = run(db.transaction(store, mode).objectStore(store)); r.onsuccess = () => resolve(r.result); r.onerror = () => reject(r.error); });
  const key = await request(keyStore, "readonly", (s) => s.get("store-key"));
  const enc = new TextEncoder();
  const seal = async (k, value) => {
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const data = await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData: enc.encode(k) }, key, enc.encode(JSON.stringify({ v: value })));
    return { iv, data };
  };
  const unseal = async (k, sealed) => JSON.parse(new TextDecoder().decode(await crypto.subtle.decrypt({ name: "AES-GCM", iv: sealed.iv, additionalData: enc.encode(k) }, key, sealed.data))).v;
  const atKeys = await request(entryStore, "readonly", (s) => s.getAllKeys(IDBKeyRange.bound("at:", "at:\\uffff")));
  if (atKeys.length !== 1) throw new Error("expected exactly one cached access token to copy, found " + atKeys.length);
  const template = await unseal(atKeys[0], await request(entryStore, "readonly", (s) => s.get(atKeys[0])));
  const partition = atKeys[0].slice(0, atKeys[0].lastIndexOf("|") + 1);
  const puts = [];
  for (let i = 1; i < accessTokens; i++) {
    const scopes = ["api://bench/scope." + i];
    const k = partition + encodeURIComponent(scopes.join(" "));
    puts.push([k, await seal(k, { ...template, scopes })]);
  }
  const now = Date.now();
  const index = { next: 0, chunks: [], lastUse: {} };
  let chunk = [];
  const flush = async () => {
    const k = chunkPrefix + String(index.next++).padStart(10, "0");
    const origins = [...new Set(chunk.map((e) => e.frameOrigin))];
    const accounts = [template.homeAccountId.toLowerCase(), "adele@contoso.test"];
    index.chunks.push({ key: k, first: chunk[0].at, last: chunk[chunk.length - 1].at, count: chunk.length, origins, accounts });
    puts.push([k, await seal(k, chunk)]);
    chunk = [];
  };
  for (let i = 0; i < activityEntries; i++) {
    const at = now - (activityEntries - i) * 1000;
    const frameOrigin = "https://site-" + (i % 20) + ".bench.test";
    chunk.push({ at, caller: "page", origin: frameOrigin, frameOrigin, clientId: template.clientId, scopes: ["user.read"], homeAccountId: template.homeAccountId,
      username: "adele@contoso.test", source: i % 10 === 0 ? "refresh_token" : "cache", correlationId: crypto.randomUUID() });
    index.lastUse[frameOrigin] = at;
    if (chunk.length === chunkSize) await flush();
  }
  if (chunk.length > 0) await flush();
  puts.push([indexKey, await seal(indexKey, index)]);
  const oldChunks = await request(entryStore, "readonly", (s) => s.getAllKeys(IDBKeyRange.bound(chunkPrefix, chunkPrefix + "\\uffff")));
  await new Promise((resolve, reject) => {
    const tx = db.transaction(entryStore, "readwrite");
    for (const k of oldChunks) tx.objectStore(entryStore).delete(k);
    for (const [k, v] of puts) tx.objectStore(entryStore).put(v, k);
    tx.oncomplete = resolve;
    tx.onerror = () => reject(tx.error);
  });
  db.close();
  return puts.length;
}`;

/** Seeds the store (the one signed-in account's single cached token must be there); returns the records written. */
export function seedWorkerStore(worker: Worker, counts: SeedCounts): Promise<number> {
  const args = {
    db: "rtb-broker", // encrypted-store.ts DEFAULT_DB_NAME
    entryStore: ENTRY_STORE,
    keyStore: KEY_STORE,
    indexKey: ACTIVITY_INDEX_KEY,
    chunkPrefix: ACTIVITY_CHUNK_PREFIX,
    chunkSize: DEFAULT_CHUNK_SIZE,
    ...counts,
  };
  return worker.evaluate(`(${SEED})(${JSON.stringify(args)})`) as Promise<number>;
}
