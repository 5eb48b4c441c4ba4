import type { Lock } from "../../../shared/ports.js";

/**
 * A Lock shared by every tab of the origin (Web Locks API). Falls back to an in-page queue where
 * `navigator.locks` is missing (old browsers, insecure contexts).
 */
export function createWebLocksLock(locks: LockManager | undefined = globalThis.navigator?.locks): Lock {
  if (locks) {
    return { withLock: (name, fn) => locks.request(`authshell:${name}`, { mode: "exclusive" }, () => fn()) };
  }
  const tails = new Map<string, Promise<unknown>>();
  return {
    withLock<T>(name: string, fn: () => Promise<T>): Promise<T> {
      const previous = tails.get(name) ?? Promise.resolve();
      const run = previous.then(fn, fn);
      tails.set(name, run.catch(() => undefined));
      return run;
    },
  };
}
