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

/** The client ID, trimmed and lower-cased; a missing or non-GUID one throws `config_error` with an English sentence. */
export function parseClientId(input: unknown): string {
  const text = typeof input === "string" ? input.trim() : "";
  if (!text) throw new AuthShellError("config_error", "The configuration has no client ID: copy the Application (client) ID of your app registration.");
  if (!isGuid(text)) {
    throw new AuthShellError(
      "config_error",
      `“${text.slice(0, 80)}” is not a client ID: copy the Application (client) ID from your app registration's Overview page; it looks like 00000000-0000-0000-0000-000000000000.`,
    );
  }
  return text.toLowerCase();
}
