import { createPageHttpClient } from "./page-http-client.js";
import { createSystemClock } from "../../../shared/platform/system-clock.js";
import { webRandom } from "../../../shared/platform/web-crypto.js";
import type { ShellPlatform } from "../internal/shell-platform.js";
import { IndexedDbStore } from "./indexed-db-store.js";
import { LocalStorageStore } from "./local-storage-store.js";
import { createWebLocksLock } from "./web-locks-lock.js";

/** The page's real ports: system clock, fetch, WebCrypto, localStorage, Web Locks, IndexedDB. */
export async function browserPlatform(): Promise<ShellPlatform> {
  // Without IndexedDB (rare) tabs still share records, only without the ordering guarantee.
  const records = await IndexedDbStore.open().catch(() => new LocalStorageStore(window.localStorage, "authshell-records:"));
  return {
    clock: createSystemClock(),
    http: createPageHttpClient(),
    random: webRandom,
    store: new LocalStorageStore(window.localStorage),
    lock: createWebLocksLock(),
    records,
  };
}
