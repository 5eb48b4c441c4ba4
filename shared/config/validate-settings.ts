/**
 * One pure validator for the broker's settings and for grants, used by the options page (as the user
 * types) and by the worker (for what the options page sends, direct messages and enterprise policy),
 * so the two can never disagree and nothing invalid is stored. It answers like a form: the normalised
 * value, or a refusal per field as a plain sentence. Sentences come from `say(key, ...subs)` — the
 * extension passes its `t()` (keys live in extension/locales/<lang>/options.json and grants.json).
 */

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

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DOMAIN = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;
const TENANT_KEYWORDS = new Set(["organizations", "common", "consumers"]);
const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]"]);
/** A scope name (User.Read, offline_access), a resource/scope (api://x/Data.Read, https://graph.microsoft.com/.default, <guid>/.default). */
const SCOPE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const SCOPE_URI = /^(?:[a-z][a-z0-9+.-]*:\/\/)?[A-Za-z0-9._~%:-]+(?:\/[A-Za-z0-9._~%-]+)*\/(?:\.default|[A-Za-z0-9][A-Za-z0-9._-]*)$/i;
const MAX_SCOPE = 512;

/** Splits "a b, c" into distinct non-empty parts (lists are typed space- or comma-separated). */
export function splitList(input: unknown): string[] {
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

export function validateTenant(tenant: string): boolean {
  return GUID.test(tenant) || TENANT_KEYWORDS.has(tenant.toLowerCase()) || DOMAIN.test(tenant);
}

/** `https://<host>/<tenant>`; `/v2.0` and `/oauth2/…` after the tenant are dropped with a note. */
export function validateAuthority(input: unknown, say: Say): FieldResult<string> {
  const text = typeof input === "string" ? input.trim() : "";
  if (!text) return { ok: false, refusal: say("options_authority_empty") };
  const url = parseUrl(text);
  if (!url || !/^https?:$/.test(url.protocol) || !url.hostname) return { ok: false, refusal: say("options_authority_not_url", quote(text)) };
  // http only for the local emulator: a real authority is always https.
  if (url.protocol !== "https:" && !LOOPBACK.has(url.hostname)) return { ok: false, refusal: say("options_authority_not_https") };
  if (url.username || url.password) return { ok: false, refusal: say("options_authority_credentials") };
  if (url.search || url.hash || text.includes("?") || text.includes("#")) return { ok: false, refusal: say("options_authority_query") };
  const segments = url.pathname.split("/").filter(Boolean);
  const tenant = segments[0];
  if (!tenant) return { ok: false, refusal: say("options_authority_no_tenant", url.host) };
  if (!validateTenant(tenant)) return { ok: false, refusal: say("options_authority_bad_tenant", quote(decodeURIComponent(tenant))) };
  const value = `${url.protocol}//${url.host}/${GUID.test(tenant) ? tenant.toLowerCase() : tenant}`;
  const rest = segments.slice(1);
  if (rest.length === 0) return { ok: true, value };
  // What people paste from Entra's "Endpoints" blade: the broker adds these parts itself.
  const dropped = `/${rest.join("/")}`;
  if (rest[0] === "v2.0" || rest[0] === "oauth2") return { ok: true, value, note: say("options_authority_normalised", value, dropped) };
  return { ok: false, refusal: say("options_authority_extra_path", quote(dropped), value) };
}

export function validateClientId(input: unknown, say: Say): FieldResult<string> {
  const text = typeof input === "string" ? input.trim() : "";
  if (!text) return { ok: false, refusal: say("options_client_id_empty") };
  if (!GUID.test(text)) return { ok: false, refusal: say("options_client_id_not_guid", quote(text)) };
  return { ok: true, value: text.toLowerCase() };
}

export function isValidScope(scope: string): boolean {
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
    if (guess && DOMAIN.test(guess.hostname) && !text.includes(" ")) return { ok: false, refusal: say("grants_origin_no_scheme", guess.origin) };
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
  const bad = ids.find((id) => id !== "*" && !GUID.test(id));
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
