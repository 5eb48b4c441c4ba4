import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { decodeWait, encodeWait } from "./naa-wait.js";

describe("the retry wait in a bridge error's description", () => {
  it("keeps a sentence for people and the wait as data", () => {
    expect(encodeWait("Throttled by the IdP.", 29_500)).toBe("Throttled by the IdP. (retry after 30 s) [retryAfterMs=29500]");
  });

  it("round-trips any sentence and wait", () => {
    fc.assert(
      fc.property(fc.string(), fc.integer({ min: 0, max: 86_400_000 }), (sentence, retryAfterMs) => {
        expect(decodeWait(encodeWait(sentence, retryAfterMs))).toEqual({ sentence, retryAfterMs });
      }),
    );
  });

  it.each([
    "The service was down for 30 s.",
    "Try again (retry after 30 s)",
    "retryAfterMs=1500",
    "x [retryAfterMs=]",
    "x [retryAfterMs=-5]",
    "x [retryAfterMs=1e3]",
    "x [retryAfterMs=015]",
    "x [retryAfterMs=15] and more",
  ])("reads no wait from %j, which encodeWait did not write", (description) => {
    expect(decodeWait(description)).toEqual({ sentence: description });
  });
});
