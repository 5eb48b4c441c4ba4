/** Base64url (RFC 4648 §5, no padding) over the universal `btoa`/`atob`. */

export function base64UrlEncode(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** Decodes base64url or base64 (padding optional) to bytes; throws on malformed input. */
function base64UrlDecodeBytes(text: string): Uint8Array {
  const normalised = text.replace(/-/g, "+").replace(/_/g, "/");
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(normalised) || normalised.replace(/=+$/, "").length % 4 === 1) {
    throw new Error("Malformed base64url text");
  }
  const padded = normalised.replace(/=+$/, "").padEnd(Math.ceil(normalised.replace(/=+$/, "").length / 4) * 4, "=");
  const binary = atob(padded);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** Decodes base64url to a UTF-8 string (fatal on invalid UTF-8). */
export function base64UrlDecodeText(text: string): string {
  return new TextDecoder("utf-8", { fatal: true }).decode(base64UrlDecodeBytes(text));
}
