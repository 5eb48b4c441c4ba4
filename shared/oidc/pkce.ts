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

/** A random RFC 4122 version-4 UUID (a correlation ID, `client-request-id`) from the Random port. */
export function randomUuid(random: Random): string {
  const b = random.bytes(16);
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const hex = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** verifier = 43 chars of base64url(32 random bytes); challenge = base64url(SHA-256(verifier)). */
export async function createPkcePair(random: Random, crypto: Crypto): Promise<PkcePair> {
  const verifier = randomUrlSafeString(random, 32);
  const digest = await crypto.sha256(new TextEncoder().encode(verifier));
  return { verifier, challenge: base64UrlEncode(digest), method: "S256" };
}
