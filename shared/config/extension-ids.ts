/**
 * The extension's fixed identities on each engine and the redirect URIs derived from them. The root
 * manifest.json holds the same facts (`key`, `browser_specific_settings.gecko.id`); its test checks
 * that both agree. An app registration lists both redirect URIs as SPA redirect URIs.
 */

/** Chrome's extension ID, fixed by the `key` in the root manifest.json. */
export const EXTENSION_ID = "hocjdcgpkppfggihhckgjaaacbohlcng";
/** `chrome.identity.getRedirectURL()` in Chrome and Edge. */
export const EXTENSION_REDIRECT_URI = `https://${EXTENSION_ID}.chromiumapp.org/`;

/** Firefox's add-on ID (`browser_specific_settings.gecko.id`): fixed, or the redirect URI changes per install. */
export const GECKO_ID = "resilient-token-broker@example.org";
/** `browser.identity.getRedirectURL()` in Firefox: the host is the SHA-1 (hex) of the add-on ID. */
export const FIREFOX_REDIRECT_URI = "https://7905fb6720a1970cb6555a188242369fe735395a.extensions.allizom.org/";

/** Both engines' redirect URIs, as the app registration (and the emulator's default client) lists them. */
export const EXTENSION_REDIRECT_URIS = [EXTENSION_REDIRECT_URI, FIREFOX_REDIRECT_URI] as const;
