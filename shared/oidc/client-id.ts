/**
 * An app registration's client ID is a GUID (the Application (client) ID in the Entra admin center).
 * The extension's settings, its grants and the SPA shell check it here, so a typo ("my-app") is refused
 * at configuration, not answered later by the IdP as AADSTS700016.
 */
import { AuthShellError } from "../errors.js";

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isGuid(text: string): boolean {
  return GUID.test(text);
}

export type ClientIdCheck = { ok: true; clientId: string } | { ok: false; refusal: { reason: "empty" } | { reason: "not_guid"; input: string } };

/** Reads a client ID as typed or configured: trimmed and lower-cased, or why not. */
export function checkClientId(input: unknown): ClientIdCheck {
  const text = typeof input === "string" ? input.trim() : "";
  if (!text) return { ok: false, refusal: { reason: "empty" } };
  if (!isGuid(text)) return { ok: false, refusal: { reason: "not_guid", input: text } };
  return { ok: true, clientId: text.toLowerCase() };
}

/** The client ID; a missing or non-GUID one throws `config_error` with an English sentence (the shell's). */
export function parseClientId(input: unknown): string {
  const result = checkClientId(input);
  if (result.ok) return result.clientId;
  const { refusal } = result;
  throw new AuthShellError(
    "config_error",
    refusal.reason === "empty"
      ? "The configuration has no client ID: copy the Application (client) ID of your app registration."
      : `“${refusal.input.slice(0, 80)}” is not a client ID: copy the Application (client) ID from your app registration's Overview page; it looks like 00000000-0000-0000-0000-000000000000.`,
  );
}
