import { describe, expect, it } from "vitest";
import { computeLifetimes, DEFAULT_SKEW_MS, effectiveSkew, isFresh, isUnexpired, MIN_REFRESH_INTERVAL_MS } from "./lifetimes.js";

describe("lifetimes", () => {
  it("expiresOn = now + expires_in; refreshOn from refresh_in; extExpiresOn from ext_expires_in", () => {
    expect(computeLifetimes(1000, 3600, 7200, 600)).toEqual({ expiresOn: 3_601_000, extExpiresOn: 7_201_000, refreshOn: 601_000 });
  });

  it("without refresh_in refreshOn is half the lifetime; without ext_expires_in extExpiresOn = expiresOn", () => {
    expect(computeLifetimes(0, 3600)).toEqual({ expiresOn: 3_600_000, extExpiresOn: 3_600_000, refreshOn: 1_800_000 });
  });

  it("never schedules refreshOn after expiry, nor extExpiresOn before it", () => {
    expect(computeLifetimes(0, 60, 30, 600)).toEqual({ expiresOn: 60_000, extExpiresOn: 60_000, refreshOn: 60_000 });
  });

  it("applies the 5-minute skew margin (capped at a quarter of the lifetime)", () => {
    const hour = { cachedAt: 0, expiresOn: 3_600_000 };
    expect(effectiveSkew(hour, DEFAULT_SKEW_MS)).toBe(300_000);
    expect(isFresh(hour, 3_300_000 - 1, DEFAULT_SKEW_MS)).toBe(true);
    expect(isFresh(hour, 3_300_000, DEFAULT_SKEW_MS)).toBe(false);
    const short = { cachedAt: 0, expiresOn: 60_000 };
    expect(effectiveSkew(short, DEFAULT_SKEW_MS)).toBe(15_000);
    expect(isFresh(short, 44_999, DEFAULT_SKEW_MS)).toBe(true);
    expect(isUnexpired(short, 59_999)).toBe(true);
    expect(isUnexpired(short, 60_000)).toBe(false);
  });
});

describe("minimum refresh interval", () => {
  it("refreshOn is never sooner than MIN_REFRESH_INTERVAL_MS, nor later than expiry", () => {
    expect(computeLifetimes(0, 5, undefined, 2.5).refreshOn).toBe(MIN_REFRESH_INTERVAL_MS);
    expect(computeLifetimes(0, 1, undefined, 0.5).refreshOn).toBe(1000);
    expect(computeLifetimes(0, 3600, undefined, 600).refreshOn).toBe(600_000);
  });

  it("a short token stays fresh while younger than the interval and unexpired; not after expiry", () => {
    const oneSecond = { cachedAt: 0, expiresOn: 1000 };
    expect(isFresh(oneSecond, 999, DEFAULT_SKEW_MS)).toBe(true);
    expect(isFresh(oneSecond, 1000, DEFAULT_SKEW_MS)).toBe(false);
    const tenSeconds = { cachedAt: 0, expiresOn: 10_000 };
    // skew 2.5 s → stale at 7.5 s; the floor (5 s) does not extend it
    expect(isFresh(tenSeconds, 7_499, DEFAULT_SKEW_MS)).toBe(true);
    expect(isFresh(tenSeconds, 7_500, DEFAULT_SKEW_MS)).toBe(false);
  });
});
