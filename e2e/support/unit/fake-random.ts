import type { Random } from "../../../shared/ports.js";

/**
 * A deterministic Random for tests: `float()` plays `floats` in turn (repeating the last), and
 * `bytes()` counts up from `seed`, so values are predictable but distinct.
 */
export class FakeRandom implements Random {
  private index = 0;
  private counter: number;

  constructor(
    private readonly floats: readonly number[] = [0.5],
    seed = 1,
  ) {
    this.counter = seed;
  }

  float(): number {
    const value = this.floats[Math.min(this.index, this.floats.length - 1)] ?? 0;
    this.index++;
    return value;
  }

  bytes(length: number): Uint8Array {
    const out = new Uint8Array(length);
    for (let i = 0; i < length; i++) out[i] = this.counter++ & 0xff;
    return out;
  }
}
