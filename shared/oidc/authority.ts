/**
 * The one authority parser. The extension's worker and options page (through
 * shared/config/validate-settings.ts), the token broker, the extension-broker library and the SPA shell
 * all read an authority here, so they accept the same inputs and derive the same endpoints:
 *
 * - `https://<host>/<tenant>` where the tenant is a GUID, a domain, `organizations`, `common` or
 *   `consumers`; a GUID is lower-cased.
 * - `/v2.0` or `/oauth2/…` after the tenant (what Entra's "Endpoints" blade shows) is dropped, so the
 *   token endpoint is `…/<tenant>/oauth2/v2.0/token`, never `…/v2.0/oauth2/v2.0/token`.
 * - http only on a loopback host (`localhost`, `127.0.0.1`, `[::1]`): the local emulator.
 *
 * A refusal is data (`AuthorityRefusal`): the options page turns it into its own translated sentence,
 * `parseAuthority` into the English sentence of a `config_error`.
 */
import { AuthShellError } from "../errors.js";
import { idpGateKey } from "../resilience/gate-keys.js";
import { isGuid } from "./client-id.js";

/** The endpoints of an Entra v2 authority such as `https://login.microsoftonline.com/<tenant>`. */
export interface Authority {
  /** Normalised authority: `<scheme>://<host>/<tenant>`, no trailing slash. */
  url: string;
  /** Host (with port) — the account's `environment`. */
  host: string;
  /** A tenant ID, a domain, `organizations`, `common` or `consumers`. */
  tenant: string;
  authorizeEndpoint: string;
  tokenEndpoint: string;
  logoutEndpoint: string;
  /** Retry-After gate / circuit-breaker key of the token endpoint (shared/resilience/gate-keys.ts). */
  tokenGateKey: string;
  /** Retry-After gate key of the authorize endpoint: closed by a 429 the AuthorizeFlow learnt of. */
  authorizeGateKey: string;
}

/** Why an authority is refused, with what a sentence about it needs. */
export type AuthorityRefusal =
  | { reason: "empty" }
  | { reason: "not_url"; input: string }
  | { reason: "not_https" }
  | { reason: "credentials" }
  | { reason: "query" }
  | { reason: "no_tenant"; host: string }
  | { reason: "bad_tenant"; tenant: string }
  | { reason: "extra_path"; path: string; authority: string };

export type AuthorityCheck =
  | { ok: true; authority: Authority; /** The part after the tenant that was dropped (`/v2.0`), if any. */ dropped?: string }
  | { ok: false; refusal: AuthorityRefusal };

const DOMAIN = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;
const TENANT_KEYWORDS = new Set(["organizations", "common", "consumers"]);
/** `URL.hostname` keeps IPv6 brackets: `[::1]`. */
const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** A domain name (used for grants' origins too). */
export function isDomain(text: string): boolean {
  return DOMAIN.test(text);
}

function isTenant(tenant: string): boolean {
  return isGuid(tenant) || TENANT_KEYWORDS.has(tenant.toLowerCase()) || isDomain(tenant);
}

function parseUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

function endpoints(url: URL, tenant: string): Authority {
  const base = `${url.protocol}//${url.host}/${tenant}`;
  return {
    url: base,
    host: url.host,
    tenant,
    authorizeEndpoint: `${base}/oauth2/v2.0/authorize`,
    tokenEndpoint: `${base}/oauth2/v2.0/token`,
    logoutEndpoint: `${base}/oauth2/v2.0/logout`,
    tokenGateKey: idpGateKey(url.host, tenant, "token"),
    authorizeGateKey: idpGateKey(url.host, tenant, "authorize"),
  };
}

/** Reads an authority as typed or configured (surrounding spaces ignored): its endpoints, or why not. */
export function checkAuthority(input: unknown): AuthorityCheck {
  const text = typeof input === "string" ? input.trim() : "";
  if (!text) return { ok: false, refusal: { reason: "empty" } };
  const url = parseUrl(text);
  if (!url || !/^https?:$/.test(url.protocol) || !url.hostname) return { ok: false, refusal: { reason: "not_url", input: text } };
  // http only for the local emulator: a real authority is always https.
  if (url.protocol !== "https:" && !LOOPBACK.has(url.hostname)) return { ok: false, refusal: { reason: "not_https" } };
  if (url.username || url.password) return { ok: false, refusal: { reason: "credentials" } };
  if (url.search || url.hash || text.includes("?") || text.includes("#")) return { ok: false, refusal: { reason: "query" } };
  const segments = url.pathname.split("/").filter(Boolean);
  const first = segments[0];
  if (!first) return { ok: false, refusal: { reason: "no_tenant", host: url.host } };
  if (!isTenant(first)) return { ok: false, refusal: { reason: "bad_tenant", tenant: safeDecode(first) } };
  const authority = endpoints(url, isGuid(first) ? first.toLowerCase() : first);
  const rest = segments.slice(1);
  if (rest.length === 0) return { ok: true, authority };
  // What people paste from Entra's "Endpoints" blade: the broker adds these parts itself.
  const dropped = `/${rest.join("/")}`;
  if (rest[0] === "v2.0" || rest[0] === "oauth2") return { ok: true, authority, dropped };
  return { ok: false, refusal: { reason: "extra_path", path: dropped, authority: authority.url } };
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

const quote = (text: string) => (text.length > 80 ? `${text.slice(0, 77)}…` : text);

/** The refusal as an English sentence for a developer (the shell's and the broker's `config_error`). */
function authorityRefusalSentence(refusal: AuthorityRefusal): string {
  switch (refusal.reason) {
    case "empty":
      return "The configuration has no authority: use https://login.microsoftonline.com/<your tenant ID>.";
    case "not_url":
      return `The authority “${quote(refusal.input)}” is not a web address: use https://login.microsoftonline.com/<your tenant ID>.`;
    case "not_https":
      return "The authority must start with https:// (only a local emulator on localhost may use http://).";
    case "credentials":
      return "Remove the user name and password from the authority.";
    case "query":
      return "Remove the part from “?” or “#” on: an authority is only https://<host>/<tenant>.";
    case "no_tenant":
      return `The authority names no tenant: use https://${refusal.host}/<tenant ID, domain, organizations or common>.`;
    case "bad_tenant":
      return `“${quote(refusal.tenant)}” is not a tenant: use the Directory (tenant) ID, a domain such as contoso.onmicrosoft.com, organizations or common.`;
    case "extra_path":
      return `Remove “${quote(refusal.path)}” from the authority: it ends with the tenant, as in ${refusal.authority}.`;
  }
}

/** The authority's endpoints; a refused authority throws `config_error` with an English sentence. */
export function parseAuthority(input: unknown): Authority {
  const result = checkAuthority(input);
  if (!result.ok) throw new AuthShellError("config_error", authorityRefusalSentence(result.refusal));
  return result.authority;
}
