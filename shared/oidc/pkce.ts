import type { Crypto, Random } from "../ports.js";
import { base64UrlEncode } from "./base64url.js";

/** A PKCE pair (RFC 7636) with the S256 method: plain challenges are never produced. */
export interface PkcePair {
  verifier: string;
  challenge: string;
  method: "S256";
}

/** A URL-safe random string from `byteLength` cryptographic random bytes. */
export function randomUrlSafeString(random: Random, byteLength = 32): string {
  return base64UrlEncode(random.bytes(byteLength));
}

/** verifier = 43 chars of base64url(32 random bytes); challenge = base64url(SHA-256(verifier)). */
export async function createPkcePair(random: Random, crypto: Crypto): Promise<PkcePair> {
  const verifier = randomUrlSafeString(random, 32);
  const digest = await crypto.sha256(new TextEncoder().encode(verifier));
  return { verifier, challenge: base64UrlEncode(digest), method: "S256" };
}
