import type { Lock } from "../ports.js";

/**
 * A named FIFO mutex within one JavaScript realm (the extension service worker). Callers for the
 * same name run one at a time in arrival order; a failing holder releases the lock too.
 */
export class InProcessLock implements Lock {
  private readonly tails = new Map<string, Promise<void>>();

  async withLock<T>(name: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(name) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    const tail = previous.then(() => mine);
    this.tails.set(name, tail);
    await previous;
    try {
      return await fn();
    } finally {
      release();
      if (this.tails.get(name) === tail) this.tails.delete(name);
    }
  }

  /** Whether `name` is held or awaited. */
  isLocked(name: string): boolean {
    return this.tails.has(name);
  }
}
