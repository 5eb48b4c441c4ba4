import { describe, expect, it } from "vitest";

describe("test support", () => {
  it("the harness SHA-256 matches WebCrypto", async () => {
    const { sha256Sync } = await import("./broker-harness.test-support.js");
    for (const text of ["", "abc", "x".repeat(55), "y".repeat(56), "z".repeat(200)]) {
      const bytes = new TextEncoder().encode(text);
      expect([...sha256Sync(bytes)]).toEqual([...new Uint8Array(await crypto.subtle.digest("SHA-256", bytes))]);
    }
  });
});
