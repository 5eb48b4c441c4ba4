/**
 * One pure validator for the broker's settings and for grants, used by the options page (as the user
 * types) and by the worker (for what the options page sends, direct messages and enterprise policy),
 * so the two can never disagree and nothing invalid is stored. It answers like a form: the normalised
 * value, or a refusal per field as a plain sentence. Sentences come from `say(key, ...subs)` — the
 * extension passes its `t()` (keys live in extension/locales/<lang>/validation.json).
 */
import { checkAuthority, isDomain, type AuthorityRefusal } from "../oidc/authority.js";
import { checkClientId, isGuid } from "../oidc/client-id.js";

export type Say = (key: string, ...subs: string[]) => string;

export type SettingsField = "authority" | "clientId" | "defaultScopes";
export type GrantField = "origin" | "clientIds" | "scopes";

/** One field: the normalised value (with an optional note to show the user) or a refusal. */
export type FieldResult<T> = { ok: true; value: T; note?: string } | { ok: false; refusal: string };

export interface NormalisedSettings {
  authority: string;
  clientId: string;
  defaultScopes: string[];
}

export interface NormalisedGrant {
  origin: string;
  clientIds: string[];
  /** Absent = the configured default scopes. */
  scopes?: string[];
}

export type FormResult<T, F extends string> =
  | { ok: true; value: T; notes: Partial<Record<F, string>> }
  | { ok: false; refusals: Partial<Record<F, string>>; notes: Partial<Record<F, string>> };

/** A scope name (User.Read, offline_access), a resource/scope (api://x/Data.Read, https://graph.microsoft.com/.default, <guid>/.default). */
const SCOPE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const SCOPE_URI = /^(?:[a-z][a-z0-9+.-]*:\/\/)?[A-Za-z0-9._~%:-]+(?:\/[A-Za-z0-9._~%-]+)*\/(?:\.default|[A-Za-z0-9][A-Za-z0-9._-]*)$/i;
const MAX_SCOPE = 512;

/** Splits "a b, c" into distinct non-empty parts (lists are typed space- or comma-separated). */
function splitList(input: unknown): string[] {
  const parts = Array.isArray(input) ? input.map((p) => (typeof p === "string" ? p : "")) : typeof input === "string" ? [input] : [];
  return [...new Set(parts.flatMap((p) => p.split(/[\s,]+/)).filter(Boolean))];
}

const quote = (text: string) => (text.length > 80 ? `${text.slice(0, 77)}…` : text);

function parseUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

/** The user's sentence for each refusal of the one authority parser (shared/oidc/authority.ts). */
function authorityRefusal(refusal: AuthorityRefusal, say: Say): string {
  switch (refusal.reason) {
    case "empty":
      return say("options_authority_empty");
    case "not_url":
      return say("options_authority_not_url", quote(refusal.input));
    case "not_https":
      return say("options_authority_not_https");
    case "credentials":
      return say("options_authority_credentials");
    case "query":
      return say("options_authority_query");
    case "no_tenant":
      return say("options_authority_no_tenant", refusal.host);
    case "bad_tenant":
      return say("options_authority_bad_tenant", quote(refusal.tenant));
    case "extra_path":
      return say("options_authority_extra_path", quote(refusal.path), refusal.authority);
  }
}

/** `https://<host>/<tenant>`; `/v2.0` and `/oauth2/…` after the tenant are dropped with a note. */
export function validateAuthority(input: unknown, say: Say): FieldResult<string> {
  const result = checkAuthority(input);
  if (!result.ok) return { ok: false, refusal: authorityRefusal(result.refusal, say) };
  const value = result.authority.url;
  return result.dropped ? { ok: true, value, note: say("options_authority_normalised", value, result.dropped) } : { ok: true, value };
}

export function validateClientId(input: unknown, say: Say): FieldResult<string> {
  const result = checkClientId(input);
  if (result.ok) return { ok: true, value: result.clientId };
  const { refusal } = result;
  return { ok: false, refusal: refusal.reason === "empty" ? say("options_client_id_empty") : say("options_client_id_not_guid", quote(refusal.input)) };
}

function isValidScope(scope: string): boolean {
  return scope.length <= MAX_SCOPE && (SCOPE_NAME.test(scope) || SCOPE_URI.test(scope));
}

/** A scope list (array or space/comma-separated text); `allowAny` admits "*" (grants only). */
export function validateScopes(input: unknown, say: Say, options: { allowAny?: boolean; allowEmpty?: boolean } = {}): FieldResult<string[]> {
  const scopes = splitList(input);
  if (scopes.length === 0) {
    return options.allowEmpty ? { ok: true, value: [] } : { ok: false, refusal: say("options_scopes_empty") };
  }
  const bad = scopes.find((s) => !(isValidScope(s) || (options.allowAny && s === "*")));
  if (bad !== undefined) return { ok: false, refusal: say("options_scopes_invalid", quote(bad)) };
  if (scopes.length > 64) return { ok: false, refusal: say("options_scopes_too_many") };
  return { ok: true, value: scopes };
}

/** An http(s) origin. A URL with a path, query or fragment is refused with a sentence that offers its origin. */
export function validateOrigin(input: unknown, say: Say): FieldResult<string> {
  const text = typeof input === "string" ? input.trim() : "";
  if (!text) return { ok: false, refusal: say("grants_origin_empty") };
  const url = parseUrl(text);
  if (!url) {
    // "app.contoso.com": the scheme is missing, offer it.
    const guess = parseUrl(`https://${text}`);
    if (guess && isDomain(guess.hostname) && !text.includes(" ")) return { ok: false, refusal: say("grants_origin_no_scheme", guess.origin) };
    return { ok: false, refusal: say("grants_origin_not_url", quote(text)) };
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return { ok: false, refusal: say("grants_origin_scheme", quote(url.protocol)) };
  if (!url.hostname || url.username || url.password) return { ok: false, refusal: say("grants_origin_not_url", quote(text)) };
  const hasPath = url.pathname !== "/" || url.search !== "" || url.hash !== "" || /[?#]/.test(text);
  if (hasPath) return { ok: false, refusal: say("grants_origin_path", url.origin) };
  return { ok: true, value: url.origin };
}

/** Client IDs of a grant: GUIDs or "*"; empty allowed (the configured client then). */
export function validateClientIds(input: unknown, say: Say): FieldResult<string[]> {
  const ids = splitList(input);
  const bad = ids.find((id) => id !== "*" && !isGuid(id));
  if (bad !== undefined) return { ok: false, refusal: say("grants_client_id_invalid", quote(bad)) };
  if (ids.length > 64) return { ok: false, refusal: say("grants_client_ids_too_many") };
  return { ok: true, value: [...new Set(ids.map((id) => id.toLowerCase()))] };
}

function collect<F extends string>(fields: Record<F, FieldResult<unknown>>) {
  const refusals: Partial<Record<F, string>> = {};
  const notes: Partial<Record<F, string>> = {};
  for (const [field, result] of Object.entries(fields) as Array<[F, FieldResult<unknown>]>) {
    if (!result.ok) refusals[field] = result.refusal;
    else if (result.note) notes[field] = result.note;
  }
  return { refusals, notes, failed: Object.keys(refusals).length > 0 };
}

export function validateSettings(input: { authority?: unknown; clientId?: unknown; defaultScopes?: unknown }, say: Say): FormResult<NormalisedSettings, SettingsField> {
  const authority = validateAuthority(input.authority, say);
  const clientId = validateClientId(input.clientId, say);
  const defaultScopes = validateScopes(input.defaultScopes, say);
  const { refusals, notes, failed } = collect<SettingsField>({ authority, clientId, defaultScopes });
  if (failed || !authority.ok || !clientId.ok || !defaultScopes.ok) return { ok: false, refusals, notes };
  return { ok: true, value: { authority: authority.value, clientId: clientId.value, defaultScopes: defaultScopes.value }, notes };
}

export function validateGrant(input: { origin?: unknown; clientIds?: unknown; scopes?: unknown }, say: Say): FormResult<NormalisedGrant, GrantField> {
  const origin = validateOrigin(input.origin, say);
  const clientIds = validateClientIds(input.clientIds, say);
  const scopes = validateScopes(input.scopes, say, { allowAny: true, allowEmpty: true });
  const { refusals, notes, failed } = collect<GrantField>({ origin, clientIds, scopes });
  if (failed || !origin.ok || !clientIds.ok || !scopes.ok) return { ok: false, refusals, notes };
  const value: NormalisedGrant = { origin: origin.value, clientIds: clientIds.value };
  if (scopes.value.length) value.scopes = scopes.value;
  return { ok: true, value, notes };
}
