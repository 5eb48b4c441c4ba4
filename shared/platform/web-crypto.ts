import type { Crypto, Random } from "../ports.js";

/** SHA-256 through WebCrypto (`crypto.subtle`), present in browsers, service workers and Node ≥ 19. */
export const webCrypto: Crypto = {
  async sha256(data: Uint8Array): Promise<Uint8Array> {
    return new Uint8Array(await crypto.subtle.digest("SHA-256", new Uint8Array(data)));
  },
};

/** getRandomValues accepts at most 65,536 bytes per call. */
const MAX_RANDOM_CHUNK = 65_536;

/** Cryptographic randomness through `crypto.getRandomValues`. */
export const webRandom: Random = {
  bytes(length: number): Uint8Array {
    const out = new Uint8Array(length);
    for (let offset = 0; offset < length; offset += MAX_RANDOM_CHUNK) {
      crypto.getRandomValues(out.subarray(offset, Math.min(length, offset + MAX_RANDOM_CHUNK)));
    }
    return out;
  },
  /** Uniform in [0, 1) from 53 random bits (26 + 27), the full precision of a double. */
  float(): number {
    const words = crypto.getRandomValues(new Uint32Array(2));
    const high = words[0]! >>> 6; // 26 bits
    const low = words[1]! >>> 5; // 27 bits
    return (high * 134_217_728 + low) / 9_007_199_254_740_992; // (high · 2^27 + low) / 2^53
  },
};
