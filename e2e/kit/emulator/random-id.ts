import { randomBytes } from "node:crypto";

/** An unguessable opaque value (codes, refresh tokens, session IDs). */
export function opaqueValue(bytes = 32): string {
  return randomBytes(bytes).toString("base64url");
}
