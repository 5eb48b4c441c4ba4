/**
 * The one way the extension and `resilient-token-broker/extension-broker` reach the browser's
 * extension APIs, on Chromium and Firefox alike, and the one place that knows how the engines differ
 * (docs/decisions/0005-cross-browser-api.md). Every API used is promise-based under `chrome.*` on
 * both engines (Chrome ≥ 116, Firefox ≥ 128, where `chrome === browser`), so no polyfill sits between.
 */

/**
 * The extension API namespace. Read at each property access, not at import: a test's stub installed
 * after this module loaded is still the one used. Kept short: the relay content script bundles this
 * module, and its bytes count against a budget (.size-limit.js).
 */
export const browser: typeof chrome = new Proxy({} as typeof chrome, {
  get: (_target, name) => chrome[name as keyof typeof chrome],
});

export type Engine = "chromium" | "firefox";

/**
 * Whether Firefox runs us, from the scheme of the extension's own base URL, `runtime.getURL("")`
 * (`moz-extension:` there, with a per-profile UUID host, not the add-on ID). A boolean without engine
 * names: the relay content script asks only this, and its bytes count against a budget.
 */
export function onFirefox(extensionBaseUrl = browser.runtime.getURL("")): boolean {
  return extensionBaseUrl.startsWith("moz-extension:");
}

export function currentEngine(): Engine {
  return onFirefox() ? "firefox" : "chromium";
}

/**
 * Match pattern for an origin's pages (content scripts, host permissions): the origin and any path —
 * with its port on Chromium; per host on Firefox, whose patterns cannot carry a port
 * (`http://localhost/*` for `http://localhost:3000`: the relay then asks the worker whether its own
 * port is granted before the bridge appears, see extension/content/bridge-handshake.ts).
 */
export function matchPatternFor(origin: string, engine: Engine = currentEngine()): string {
  if (engine === "chromium") return `${origin}/*`;
  const url = new URL(origin);
  return `${url.protocol}//${url.hostname}/*`;
}

/** How long a silent launchWebAuthFlow may take on Chromium before it gives up. */
const SILENT_FLOW_TIMEOUT_MS = 10_000;

/**
 * launchWebAuthFlow's details for `url`. Chromium's silent flow gives up at the first page load that
 * is not the redirect and is bounded in time; Firefox's has neither option and refuses the call when
 * they are present ("Unexpected properties" — its own silent flow stops at the first non-redirect).
 */
export function webAuthFlowDetails(
  url: string,
  interactive: boolean,
  engine: Engine = currentEngine(),
  silentTimeoutMs = SILENT_FLOW_TIMEOUT_MS,
): chrome.identity.WebAuthFlowDetails {
  const details: chrome.identity.WebAuthFlowDetails = { url, interactive };
  if (!interactive && engine === "chromium") {
    details.abortOnLoadForNonInteractive = true;
    details.timeoutMsForNonInteractive = silentTimeoutMs;
  }
  return details;
}
