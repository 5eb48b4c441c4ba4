import { AuthShellError } from "../../../shared/errors.js";
import { parseAuthority } from "../../../shared/oidc/authority.js";
import { parseClientId } from "../../../shared/oidc/client-id.js";
import { graphUrlFor } from "./overage-groups.js";

/** What an app passes to `createAuthShell`. Only `clientId` and `authority` are required. */
export interface AuthShellConfig {
  /** The app registration's Application (client) ID, a GUID. */
  clientId: string;
  /**
   * e.g. `https://login.microsoftonline.com/<tenant ID, domain, organizations or common>`; a trailing
   * `/v2.0` is dropped (read by shared/oidc/authority.ts, the parser the extension uses too).
   */
  authority: string;
  /** Scopes for `signIn()` and the default of `authFetch` (default `["User.Read"]`). */
  scopes?: string[];
  /** Where MSAL's sign-in popup lands (a page calling `completePopupSignIn()`); default `<page dir>/redirect.html`. */
  redirectUri?: string;
  /**
   * Look for the browser extension's bridge (default true). With `false` the shell always runs MSAL
   * in the page (standalone), even where the extension is installed.
   */
  useExtension?: boolean;
  /**
   * Groups overage (more groups than fit in the ID token): where the shell asks Microsoft Graph for
   * them, once per session. Default: the authority's cloud's Graph (`https://graph.microsoft.com` for
   * `login.microsoftonline.com`; US DoD tenants set `https://dod-graph.microsoft.us`), or the
   * authority's own origin for other hosts (the emulator), with `["User.Read"]`.
   */
  groupsOverage?: { graphUrl?: string; scopes?: string[] };
}

/** The configuration after validation and defaults. */
export interface ResolvedShellConfig {
  clientId: string;
  /** Normalised: `https://<host>/<tenant>`, no trailing slash or `/v2.0`. */
  authority: string;
  /** The authority's first path segment (tenant ID, domain, `organizations`, …). */
  tenant: string;
  scopes: string[];
  redirectUri: string;
  useExtension: boolean;
  groupsOverage: { graphUrl: string; scopes: string[] };
}

const DEFAULT_SCOPES = ["User.Read"];

/**
 * Validates the configuration up front, with the parsers the extension uses, so a typo (an authority
 * that is not a URL or names no tenant, a client ID that is not a GUID) is a `config_error` with a
 * sentence rather than an exception deep inside MSAL, an AADSTS error later or a blank page.
 */
export function resolveShellConfig(config: AuthShellConfig, pageHref?: string): ResolvedShellConfig {
  if (typeof config !== "object" || config === null) throw new AuthShellError("config_error", "createAuthShell needs a configuration object");
  const clientId = parseClientId(config.clientId);
  const authority = parseAuthority(config.authority);
  const scopes = config.scopes === undefined ? DEFAULT_SCOPES : config.scopes.filter((s) => typeof s === "string" && s.trim() !== "");
  if (scopes.length === 0) throw new AuthShellError("config_error", "The configuration's scopes are empty");
  let redirectUri: string;
  try {
    redirectUri = config.redirectUri ?? new URL("redirect.html", pageHref ?? globalThis.location?.href).href.split(/[?#]/)[0]!;
    redirectUri = new URL(redirectUri).href;
  } catch {
    throw new AuthShellError("config_error", "The redirect URI is not a valid URL");
  }
  return {
    clientId,
    authority: authority.url,
    tenant: authority.tenant,
    scopes: [...scopes],
    redirectUri,
    useExtension: config.useExtension !== false,
    groupsOverage: resolveGroupsOverage(config.groupsOverage, authority.url),
  };
}

function resolveGroupsOverage(options: AuthShellConfig["groupsOverage"], authority: string): ResolvedShellConfig["groupsOverage"] {
  let graphUrl = graphUrlFor(authority);
  if (options?.graphUrl !== undefined) {
    try {
      const parsed = new URL(options.graphUrl);
      if (parsed.protocol !== "https:") throw new Error("not https");
      graphUrl = parsed.origin;
    } catch {
      throw new AuthShellError("config_error", "groupsOverage.graphUrl must be an https URL such as https://graph.microsoft.com");
    }
  }
  const scopes = options?.scopes?.filter((s) => typeof s === "string" && s.trim() !== "") ?? ["User.Read"];
  if (scopes.length === 0) throw new AuthShellError("config_error", "groupsOverage.scopes is empty");
  return { graphUrl, scopes };
}
