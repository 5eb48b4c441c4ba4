/**
 * Keyed single-flight: while a call for `key` is in flight, further calls for the same key share
 * its promise instead of starting their own (R10: N concurrent callers, one request).
 */
export class SingleFlight {
  private readonly inFlight = new Map<string, Promise<unknown>>();

  run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const existing = this.inFlight.get(key);
    if (existing) return existing as Promise<T>;
    // `entry.promise` is unset while `fn` runs synchronously: a synchronous throw settles the call
    // before it is registered, and then it must not be registered at all.
    const entry: { promise?: Promise<T>; settled: boolean } = { settled: false };
    const started = (async () => {
      try {
        return await fn();
      } finally {
        entry.settled = true;
        if (entry.promise !== undefined && this.inFlight.get(key) === entry.promise) this.inFlight.delete(key);
      }
    })();
    entry.promise = started;
    if (!entry.settled) this.inFlight.set(key, started);
    return started;
  }

  /** Whether a call for `key` is in flight. */
  has(key: string): boolean {
    return this.inFlight.has(key);
  }

  /** Number of keys in flight. */
  get size(): number {
    return this.inFlight.size;
  }
}
