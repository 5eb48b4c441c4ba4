import { describe, expect, it } from "vitest";
import { FakeRandom } from "../../e2e/support/unit/fake-random.js";
import { backoffDelay, DEFAULT_BACKOFF } from "./backoff.js";

describe("backoffDelay", () => {
  it("never retries earlier than 5 s, even with the lowest jitter", () => {
    expect(backoffDelay(1, new FakeRandom([0]))).toBe(5_000);
  });

  it("doubles per attempt", () => {
    const zero = new FakeRandom([0]);
    expect([1, 2, 3, 4].map((a) => backoffDelay(a, zero))).toEqual([5_000, 10_000, 20_000, 40_000]);
  });

  it("adds jitter upwards below the cap", () => {
    expect(backoffDelay(1, new FakeRandom([0.5]))).toBe(5_500);
    expect(backoffDelay(2, new FakeRandom([0.999]))).toBeGreaterThan(11_900);
    expect(backoffDelay(2, new FakeRandom([0.999]))).toBeLessThanOrEqual(12_000);
  });

  it("is capped at 60 s and jitters downwards at the cap", () => {
    expect(backoffDelay(10, new FakeRandom([0]))).toBe(60_000);
    expect(backoffDelay(10, new FakeRandom([0.5]))).toBe(54_000);
    expect(backoffDelay(4, new FakeRandom([0.99]), { jitter: 1 })).toBe(DEFAULT_BACKOFF.maxMs);
  });

  it("stays within [base, max] for any random value and attempt", () => {
    for (const r of [0, 0.1, 0.5, 0.9, 0.999999]) {
      for (let attempt = 1; attempt <= 20; attempt++) {
        const delay = backoffDelay(attempt, new FakeRandom([r]));
        expect(delay).toBeGreaterThanOrEqual(5_000);
        expect(delay).toBeLessThanOrEqual(60_000);
      }
    }
  });

  it("honours a custom policy and clamps odd inputs", () => {
    const zero = new FakeRandom([0]);
    expect(backoffDelay(3, zero, { baseMs: 100, factor: 3, maxMs: 10_000 })).toBe(900);
    expect(backoffDelay(0, zero)).toBe(5_000);
    expect(backoffDelay(2, new FakeRandom([1]), { jitter: 5 })).toBe(20_000);
  });
});
