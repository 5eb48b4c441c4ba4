import type { Clock, HttpClient, KeyValueStore, Lock, Random } from "../../../shared/ports.js";

/** The ports the shell's auth core runs on: the browser's in production, fakes in unit tests. */
export interface ShellPlatform {
  clock: Clock;
  http: HttpClient;
  random: Random;
  /** Resilience state (gates, breakers), shared by the origin's tabs. */
  store: KeyValueStore;
  /** A lock shared by the origin's tabs (Web Locks). */
  lock: Lock;
  /**
   * Records shared by the origin's tabs and consistent with the lock (IndexedDB): what one tab writes
   * before releasing the lock, the next tab to take it reads. Holds refresh times only, never tokens.
   */
  records: KeyValueStore;
}
