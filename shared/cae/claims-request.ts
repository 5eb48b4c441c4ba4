import { AuthShellError } from "../errors.js";
import { findChallenge, parseWwwAuthenticate } from "./www-authenticate.js";

/**
 * Claims requests for Continuous Access Evaluation (R11). The client announces the `cp1` capability
 * with {"access_token":{"xms_cc":{"values":["cp1"]}}}; a resource that revokes a token answers
 * `401` with `WWW-Authenticate: Bearer error="insufficient_claims", claims="<base64>"`, and the
 * client re-acquires a token with those claims (merged with its capabilities), bypassing the cache.
 */
export const CP1_CLAIMS = '{"access_token":{"xms_cc":{"values":["cp1"]}}}';

type JsonObject = Record<string, unknown>;

/**
 * The decoded claims JSON of a `Bearer error="insufficient_claims"` challenge, or `undefined` when
 * the header holds no such challenge or its claims are not valid (base64 or base64url) JSON.
 */
export function claimsChallengeFrom(header: string | null | undefined): string | undefined {
  for (const challenge of parseWwwAuthenticate(header)) {
    if (challenge.scheme !== "bearer") continue;
    if (challenge.params.error?.toLowerCase() !== "insufficient_claims") continue;
    const encoded = challenge.params.claims;
    if (!encoded) continue;
    const decoded = decodeClaimsParam(encoded);
    if (decoded !== undefined) return decoded;
  }
  return undefined;
}

/** Whether the header carries any Bearer challenge (for callers that only need to know). */
export function hasBearerChallenge(header: string | null | undefined): boolean {
  return findChallenge(parseWwwAuthenticate(header), "bearer") !== undefined;
}

/**
 * Deep-merges claims requests (JSON strings; `undefined`/empty ones are skipped): objects merge
 * member by member, `values` arrays are unioned (order kept, no duplicates), any other conflict
 * takes the later value. Returns "" when the result is empty. Throws `invalid_request` on a string
 * that is not a JSON object.
 */
export function mergeClaims(...claims: Array<string | undefined>): string {
  let merged: JsonObject = {};
  for (const text of claims) {
    if (text === undefined || text.trim() === "") continue;
    merged = mergeObjects(merged, parseClaimsObject(text));
  }
  return Object.keys(merged).length === 0 ? "" : JSON.stringify(merged);
}

/** `claims` with the client capabilities (e.g. ["cp1"]) merged into `access_token.xms_cc`. */
export function withClientCapabilities(claims: string | undefined, capabilities: readonly string[]): string {
  if (capabilities.length === 0) return mergeClaims(claims);
  const capabilityClaims = JSON.stringify({ access_token: { xms_cc: { values: [...capabilities] } } });
  return mergeClaims(claims, capabilityClaims);
}

/**
 * True only when the claims request has an `access_token` member: a real claims challenge. MSAL
 * also sends id_token-only claims, which are not one and must not bypass the cache.
 */
export function hasAccessTokenClaims(claims: string | undefined): boolean {
  if (!claims) return false;
  try {
    const parsed: unknown = JSON.parse(claims);
    return isObject(parsed) && Object.prototype.hasOwnProperty.call(parsed, "access_token") && parsed.access_token != null;
  } catch {
    return false;
  }
}

/**
 * The claims JSON of a challenge's `claims` parameter as it was sent: JSON, or base64/base64url JSON
 * (Kiota hands the raw parameter to its token provider). `undefined` when it is neither.
 */
export function decodeClaimsParam(value: string): string | undefined {
  const trimmed = value.trim();
  const candidates = trimmed.startsWith("{") ? [trimmed] : [decodeBase64Text(trimmed)];
  for (const candidate of candidates) {
    if (candidate === undefined) continue;
    try {
      if (isObject(JSON.parse(candidate))) return candidate;
    } catch {
      // not JSON
    }
  }
  return undefined;
}

/** base64 or base64url, padding optional, UTF-8; `undefined` when malformed. */
function decodeBase64Text(text: string): string | undefined {
  const normalised = text.replace(/-/g, "+").replace(/_/g, "/").replace(/=+$/, "");
  if (!/^[A-Za-z0-9+/]*$/.test(normalised) || normalised.length % 4 === 1) return undefined;
  try {
    const binary = atob(normalised.padEnd(Math.ceil(normalised.length / 4) * 4, "="));
    const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

function parseClaimsObject(text: string): JsonObject {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new AuthShellError("invalid_request", "The claims request is not valid JSON");
  }
  if (!isObject(parsed)) throw new AuthShellError("invalid_request", "The claims request must be a JSON object");
  return parsed;
}

function mergeObjects(target: JsonObject, source: JsonObject): JsonObject {
  const out: JsonObject = { ...target };
  for (const [key, value] of Object.entries(source)) {
    const existing = out[key];
    if (key === "values" && Array.isArray(existing) && Array.isArray(value)) {
      out[key] = unionValues(existing, value);
    } else if (isObject(existing) && isObject(value)) {
      out[key] = mergeObjects(existing, value);
    } else {
      out[key] = value;
    }
  }
  return out;
}

function unionValues(a: readonly unknown[], b: readonly unknown[]): unknown[] {
  const out = [...a];
  for (const item of b) {
    if (!out.some((existing) => JSON.stringify(existing) === JSON.stringify(item))) out.push(item);
  }
  return out;
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
