/**
 * The emulator's fixed authority, client ID and scope (shared/config/defaults.ts), put in at build time
 * by vite.config.ts (`demoDefines`), so the demo imports nothing but the public entry points.
 */
const DEFAULTS = __DEMO_DEFAULTS__;

/** The demo's settings: the shell's configuration plus what only the demo needs. */
export interface ShellConfig {
  /** e.g. https://localhost:8443/<tenant> */
  authority: string;
  clientId: string;
  /** Scopes of the profile call (GET /v1.0/me). */
  scopes: string[];
  /** Base URL of the Graph-like resource; defaults to the authority's origin (the emulator serves both). */
  graphBaseUrl: string;
  /** Where MSAL's popup lands (a page that hands the response back to this window). */
  redirectUri: string;
  /** Display name of this app (two demo apps share one shell). */
  appName: string;
}

/**
 * Configuration from the URL query (`?authority=&clientId=&scopes=&graph=&app=`), defaulting to the
 * emulator's fixed values so a fresh build works against `npm run emulator`.
 */
export function readShellConfig(location: { href: string; search: string }): ShellConfig {
  const query = new URLSearchParams(location.search);
  const authority = (query.get("authority") ?? DEFAULTS.authority).replace(/\/+$/, "");
  const scopes = (query.get("scopes") ?? DEFAULTS.scope).split(/[\s,]+/).filter(Boolean);
  return {
    authority,
    clientId: query.get("clientId") ?? DEFAULTS.clientId,
    scopes: scopes.length > 0 ? scopes : [DEFAULTS.scope],
    graphBaseUrl: (query.get("graph") ?? originOf(authority)).replace(/\/+$/, ""),
    redirectUri: new URL("redirect.html", location.href).href.split(/[?#]/)[0]!,
    appName: query.get("app") ?? "Contoso portal",
  };
}

/** An authority that is not a URL has no origin; createAuthShell then reports the config error in a sentence. */
function originOf(authority: string): string {
  try {
    return new URL(authority).origin;
  } catch {
    return "";
  }
}
