import { describe, expect, it } from "vitest";
import { DEFAULT_RETRY_AFTER, parseRetryAfter, retryAfterFromHeader } from "./retry-after.js";

const now = Date.UTC(2026, 0, 1, 12, 0, 0);
const httpDate = (ms: number) => new Date(ms).toUTCString();

describe("parseRetryAfter", () => {
  it("reads delay-seconds", () => {
    expect(parseRetryAfter("7", now)).toBe(7_000);
    expect(parseRetryAfter(" 120 ", now)).toBe(120_000);
  });

  it("reads a future HTTP-date as the time until it", () => {
    expect(parseRetryAfter(httpDate(now + 42_000), now)).toBe(42_000);
  });

  it("reads the obsolete RFC 850 date form too", () => {
    expect(parseRetryAfter("Thursday, 01-Jan-26 12:00:30 GMT", now)).toBe(30_000);
  });

  it.each([
    ["absent", null],
    ["undefined", undefined],
    ["empty", ""],
    ["blank", "   "],
    ["zero", "0"],
    ["negative", "-3"],
    ["fractional", "1.5"],
    ["garbage", "soon"],
    ["digits with punctuation", "12:30"],
    ["a date in the past", httpDate(now - 60_000)],
    ["a date equal to now", httpDate(now)],
  ])("falls back to the default for %s", (_label, header) => {
    expect(parseRetryAfter(header, now)).toBe(DEFAULT_RETRY_AFTER.defaultMs);
  });

  it("caps absurd values (10 days) at maxMs, in both forms", () => {
    expect(parseRetryAfter("864000", now)).toBe(DEFAULT_RETRY_AFTER.maxMs);
    expect(parseRetryAfter(httpDate(now + 10 * 86_400_000), now)).toBe(DEFAULT_RETRY_AFTER.maxMs);
  });

  it("applies a custom policy", () => {
    expect(parseRetryAfter(null, now, { defaultMs: 1_000 })).toBe(1_000);
    expect(parseRetryAfter("90", now, { maxMs: 60_000 })).toBe(60_000);
    expect(parseRetryAfter(null, now, { defaultMs: 10_000, maxMs: 2_000 })).toBe(2_000);
  });

  it("documents its defaults: 5 s default, 5 min cap", () => {
    expect(DEFAULT_RETRY_AFTER).toEqual({ defaultMs: 5_000, maxMs: 300_000 });
  });
});

describe("retryAfterFromHeader", () => {
  it("is undefined when the header says nothing usable", () => {
    expect(retryAfterFromHeader(null, now)).toBeUndefined();
    expect(retryAfterFromHeader("nope", now)).toBeUndefined();
    expect(retryAfterFromHeader("0", now)).toBeUndefined();
  });

  it("returns the capped wait when the header has one", () => {
    expect(retryAfterFromHeader("30", now)).toBe(30_000);
    expect(retryAfterFromHeader("99999", now, { maxMs: 1_000 })).toBe(1_000);
  });
});
