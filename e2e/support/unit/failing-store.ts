import type { StoreBatch } from "../../../shared/ports.js";
import { MemoryStore } from "../../../shared/storage/memory-store.js";

/**
 * A MemoryStore whose writes can be made to fail the way a full disk does (QuotaExceededError):
 * reads keep working, `set`, `delete` and `batch` reject while `failWrites` is true.
 */
export class FailingStore extends MemoryStore {
  failWrites = true;
  /** How many writes were refused. */
  refused = 0;

  override async set(key: string, value: unknown): Promise<void> {
    this.refuse();
    return super.set(key, value);
  }

  override async delete(key: string): Promise<void> {
    this.refuse();
    return super.delete(key);
  }

  override async batch(ops: StoreBatch): Promise<void> {
    this.refuse();
    return super.batch(ops);
  }

  private refuse(): void {
    if (!this.failWrites) return;
    this.refused++;
    throw new DOMException("The quota has been exceeded.", "QuotaExceededError");
  }
}
