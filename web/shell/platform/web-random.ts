import type { Random } from "../../../shared/ports.js";

/** Randomness from WebCrypto (works in pages and in Node ≥ 20). */
export const pageRandom: Random = {
  bytes: (length) => crypto.getRandomValues(new Uint8Array(length)),
  float: () => crypto.getRandomValues(new Uint32Array(1))[0]! / 2 ** 32,
};
