/**
 * Pure grant decisions: which origin may ask for tokens, for which client IDs and scopes. Decided only
 * from the browser-filled sender of a Port or message (origin, tab, frame), never from message content.
 */
import { AuthShellError } from "../../shared/errors.js";
import { RESERVED_SCOPES } from "../../shared/cache/scopes.js";
import type { Grant } from "../protocol/views.js";
import { matchPatternFor, type Engine } from "../platform/browser-api.js";

export type { Grant };
export { matchPatternFor };

/** The parts of chrome.runtime.MessageSender the decision uses. */
export interface SenderFacts {
  id?: string;
  origin?: string;
  url?: string;
  frameId?: number;
  /** `url` is the tab's top-level page (only read for the activity record's `origin`). */
  tab?: { id?: number; url?: string };
}


/** "https://App.Contoso.com/path" → "https://app.contoso.com"; only http(s) origins can be granted. */
export function normaliseOrigin(input: string): string {
  let url: URL;
  try {
    url = new URL(input.trim());
  } catch {
    throw new AuthShellError("invalid_request", "Not a valid origin (expected e.g. https://app.contoso.com)");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new AuthShellError("invalid_request", "Only http and https origins can be granted");
  }
  return url.origin;
}

/** The match patterns of the content scripts for these origins on `engine`: sorted, each once. */
export function contentScriptMatches(origins: readonly string[], engine: Engine): string[] {
  return [...new Set(origins.map((origin) => matchPatternFor(origin, engine)))].sort();
}

/** The grant that covers this sender's own frame, or a `not_granted` error. */
export function grantForSender(sender: SenderFacts, grants: readonly Grant[], extensionId: string): Grant {
  const refuse = (why: string) => new AuthShellError("not_granted", `This site is not allowed to use the broker (${why})`);
  if (sender.id !== extensionId) throw refuse("foreign sender");
  if (!sender.tab || typeof sender.frameId !== "number") throw refuse("not a page");
  const origin = sender.origin;
  if (!origin || origin === "null") throw refuse("opaque origin");
  if (sender.url) {
    let urlOrigin: string;
    try {
      urlOrigin = new URL(sender.url).origin;
    } catch {
      throw refuse("bad sender URL");
    }
    if (urlOrigin !== origin) throw refuse("origin mismatch");
  }
  // The frame's OWN origin must be granted: the top frame of a granted page, or a frame whose origin
  // is itself granted. A cross-origin iframe inside a granted page therefore gets nothing.
  const grant = grants.find((g) => g.origin === origin);
  if (!grant) throw refuse("origin not granted");
  return grant;
}

const EXTENSION_SCHEMES = new Set(["chrome-extension:", "moz-extension:"]);

/**
 * Whether a runtime message comes from one of this extension's own pages (popup, options page):
 * the browser-filled sender id must be this extension's, and its URL and origin must lie under
 * `extensionBaseUrl` — `runtime.getURL("")`, never a URL built from the ID: Firefox serves the pages
 * from `moz-extension://<random per-profile UUID>/`, not from the add-on ID. Content scripts share
 * the extension's id but carry the web page's URL and origin, so they never pass.
 */
export function isOwnExtensionPage(sender: SenderFacts, extensionId: string, extensionBaseUrl: string): boolean {
  if (!extensionId || sender.id !== extensionId) return false;
  let base: URL;
  let url: URL;
  try {
    base = new URL(extensionBaseUrl);
    url = new URL(sender.url ?? "");
  } catch {
    return false;
  }
  // Only the browser's own extension schemes: an http(s) base would make every page of a site "ours".
  if (!EXTENSION_SCHEMES.has(base.protocol) || !base.host) return false;
  // Scheme and host, not URL.origin: runtimes differ on whether extension schemes have a tuple origin.
  if (url.protocol !== base.protocol || url.host !== base.host) return false;
  return sender.origin === undefined || sender.origin === `${base.protocol}//${base.host}`;
}

/** Throws unless the grant allows this client ID. */
export function checkClientId(grant: Grant, clientId: string): void {
  if (!grant.clientIds.includes(clientId) && !grant.clientIds.includes("*")) {
    // Names the client ID and where to add it: the site is allowed, but not for this app.
    const id = clientId || "(none)";
    throw new AuthShellError(
      "client_not_allowed",
      `This site is allowed, but not for the client ID ${id}: add ${id} to the site's client IDs under "Allowed sites" in the extension's options page (it allows ${grant.clientIds.join(", ") || "none"})`,
    );
  }
}

/** The requested scopes the grant does not cover (the reserved OIDC scopes always are). */
export function scopesOutsideGrant(grant: Grant, scopes: readonly string[], defaultScopes: readonly string[]): string[] {
  const grantScopes = grant.scopes ?? defaultScopes;
  if (grantScopes.includes("*")) return [];
  const allowed = new Set([...grantScopes, ...RESERVED_SCOPES].map((s) => s.toLowerCase()));
  return scopes.filter((s) => !allowed.has(s.toLowerCase()));
}
