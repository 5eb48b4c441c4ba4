/**
 * The extension's fixed identity: its ID (fixed by the `key` in the root manifest.json) and the
 * redirect URI `chrome.identity.launchWebAuthFlow` uses, which an app registration must list as a
 * single-page-app redirect.
 */
export const EXTENSION_ID = "hocjdcgpkppfggihhckgjaaacbohlcng";
export const EXTENSION_REDIRECT_URI = `https://${EXTENSION_ID}.chromiumapp.org/`;
