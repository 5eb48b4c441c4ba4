import { createPageHttpClient } from "./page-http-client";
import { createSystemClock } from "../../../shared/platform/system-clock";
import { webRandom } from "../../../shared/platform/web-crypto";
import type { ShellPlatform } from "../internal/shell-platform";
import { IndexedDbStore } from "./indexed-db-store";
import { LocalStorageStore } from "./local-storage-store";
import { createWebLocksLock } from "./web-locks-lock";

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
