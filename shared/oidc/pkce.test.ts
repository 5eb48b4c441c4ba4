import { describe, expect, it } from "vitest";
import type { Random } from "../ports.js";
import { nodeCrypto } from "../chain/broker-harness.test-support.js";
import { createPkcePair, randomUrlSafeString } from "./pkce.js";

// RFC 7636 Appendix B.
const RFC_BYTES = [116, 24, 223, 180, 151, 153, 224, 37, 79, 250, 96, 125, 216, 173, 187, 186, 22, 212, 37, 77, 105, 214, 191, 240, 91, 88, 5, 88, 83, 132, 141, 121];
const fixedRandom = (bytes: number[]): Random => ({ bytes: (n) => new Uint8Array(bytes.slice(0, n)), float: () => 0.5 });

describe("PKCE", () => {
  it("matches the RFC 7636 S256 example", async () => {
    const pair = await createPkcePair(fixedRandom(RFC_BYTES), nodeCrypto);
    expect(pair).toEqual({
      verifier: "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk",
      challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
      method: "S256",
    });
  });

  it("makes URL-safe random strings without padding", () => {
    const s = randomUrlSafeString(fixedRandom(Array.from({ length: 16 }, (_, i) => 250 + (i % 6))), 16);
    expect(s).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });
});
