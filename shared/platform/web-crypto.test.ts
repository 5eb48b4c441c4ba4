import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { webCrypto, webRandom } from "./web-crypto.js";

describe("webCrypto", () => {
  it("computes SHA-256 (the RFC 7636 PKCE example)", async () => {
    const verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    const digest = await webCrypto.sha256(new TextEncoder().encode(verifier));
    expect(Buffer.from(digest).toString("base64url")).toBe("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
  });

  it("matches Node's hash for arbitrary bytes, including a view into a larger buffer", async () => {
    const backing = new Uint8Array(64).map((_, i) => i);
    const view = backing.subarray(10, 40);
    const expected = createHash("sha256").update(view).digest();
    expect(Buffer.from(await webCrypto.sha256(view))).toEqual(expected);
  });
});

describe("webRandom", () => {
  it("returns the requested number of bytes, beyond the 65,536-byte getRandomValues limit", () => {
    expect(webRandom.bytes(0)).toHaveLength(0);
    const big = webRandom.bytes(70_000);
    expect(big).toHaveLength(70_000);
    // The tail past the first chunk is filled too (all-zero has probability 2^-(8·4464)).
    expect(big.subarray(65_536).some((b) => b !== 0)).toBe(true);
  });

  it("floats are in [0, 1) and spread out", () => {
    const values = Array.from({ length: 2_000 }, () => webRandom.float());
    expect(values.every((v) => v >= 0 && v < 1)).toBe(true);
    expect(values.some((v) => v < 0.25)).toBe(true);
    expect(values.some((v) => v > 0.75)).toBe(true);
    expect(new Set(values).size).toBe(values.length);
  });
});
