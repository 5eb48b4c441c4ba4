import * as v from "valibot";
import { AuthShellError, ERROR_CODES, type AuthShellErrorPlain } from "../errors.js";
import { NAA_MAX_REQUEST_CHARS } from "./naa-wire.js";

/**
 * Runtime-validated messages into the extension's service worker: from the relay content script
 * (`naa`) and from the popup / options page. Every message gets a `BrokerResponse`.
 */

const shortText = v.pipe(v.string(), v.maxLength(2048));
const origin = v.pipe(v.string(), v.maxLength(2048), v.url());
const idList = v.pipe(v.array(v.pipe(v.string(), v.minLength(1), v.maxLength(256))), v.maxLength(64));
const scopeList = v.pipe(v.array(v.pipe(v.string(), v.minLength(1), v.maxLength(512))), v.maxLength(64));

export const RelayMessageSchema = v.object({
  kind: v.literal("naa"),
  request: v.pipe(v.string(), v.maxLength(NAA_MAX_REQUEST_CHARS)),
});

export const BrokerConfigPlainSchema = v.object({
  authority: v.pipe(v.string(), v.maxLength(2048), v.url()),
  clientId: v.pipe(v.string(), v.minLength(1), v.maxLength(256)),
  defaultScopes: scopeList,
  clientCapabilities: v.optional(v.pipe(v.array(v.pipe(v.string(), v.maxLength(64))), v.maxLength(8))),
});

export const GrantPlainSchema = v.object({
  origin,
  /** Client IDs this origin may request tokens for. */
  clientIds: idList,
  /** Scopes this origin may request; absent = the configured default scopes only. */
  scopes: v.optional(scopeList),
});

export const UiMessageSchema = v.variant("kind", [
  v.object({ kind: v.literal("getStatus") }),
  v.object({ kind: v.literal("signIn"), loginHint: v.optional(shortText) }),
  v.object({ kind: v.literal("signOut"), homeAccountId: v.optional(shortText) }),
  v.object({ kind: v.literal("listGrants") }),
  v.object({ kind: v.literal("addGrant"), grant: GrantPlainSchema }),
  v.object({ kind: v.literal("removeGrant"), origin }),
  v.object({ kind: v.literal("getConfig") }),
  v.object({ kind: v.literal("setConfig"), config: BrokerConfigPlainSchema }),
  v.object({ kind: v.literal("getEvents"), limit: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(1000))) }),
]);

export type RelayMessage = v.InferOutput<typeof RelayMessageSchema>;
export type UiMessage = v.InferOutput<typeof UiMessageSchema>;
export type BrokerConfigPlain = v.InferOutput<typeof BrokerConfigPlainSchema>;
export type GrantPlain = v.InferOutput<typeof GrantPlainSchema>;

export type BrokerResponse<T = unknown> = { ok: true; value: T } | { ok: false; error: AuthShellErrorPlain };

function parseWith<S extends v.GenericSchema>(schema: S, input: unknown, what: string): v.InferOutput<S> | AuthShellError {
  const result = v.safeParse(schema, input);
  if (result.success) return result.output;
  const path = v.getDotPath(result.issues[0]) ?? "message";
  return new AuthShellError("invalid_request", `Malformed ${what} at ${path}`);
}

/** Validates a message from the relay content script (only `naa`). */
export function parseRelayMessage(input: unknown): RelayMessage | AuthShellError {
  return parseWith(RelayMessageSchema, input, "relay message");
}

/** Validates a message from the popup / options page. */
export function parseUiMessage(input: unknown): UiMessage | AuthShellError {
  return parseWith(UiMessageSchema, input, "UI message");
}

export function okResponse<T>(value: T): BrokerResponse<T> {
  return { ok: true, value };
}

export function errorResponse(error: unknown): BrokerResponse<never> {
  return { ok: false, error: AuthShellError.from(error).toPlain() };
}

const ErrorPlainSchema = v.object({
  name: v.literal("AuthShellError"),
  code: v.picklist(ERROR_CODES),
  message: v.string(),
  retryable: v.boolean(),
  retryAfterMs: v.optional(v.number()),
  claims: v.optional(v.string()),
  correlationId: v.optional(v.string()),
  idpError: v.optional(v.string()),
  idpErrorCode: v.optional(v.number()),
  suberror: v.optional(v.string()),
});

/**
 * Unwraps a response on the receiving side: returns the value or throws the AuthShellError; an
 * envelope of the wrong shape becomes 'invalid_response'. The value itself is not validated.
 */
export function unwrapResponse<T>(input: unknown): T {
  if (typeof input === "object" && input !== null) {
    const r = input as { ok?: unknown; value?: unknown; error?: unknown };
    if (r.ok === true && "value" in r) return r.value as T;
    if (r.ok === false) {
      const parsed = v.safeParse(ErrorPlainSchema, r.error);
      if (parsed.success) throw AuthShellError.fromPlain(parsed.output);
    }
  }
  throw new AuthShellError("invalid_response", "Malformed broker response");
}
