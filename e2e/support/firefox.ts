/**
 * Stock Firefox (ESR or Developer Edition) driven by puppeteer-core over WebDriver BiDi: Playwright
 * cannot load extensions into Firefox (docs/firefox.md). The counterpart of ./chromium.ts: find the
 * binary, launch it with a profile, install an add-on permanently, and reach the few things only the
 * browser itself can do (open an extension page, suspend an event page) through Firefox's privileged
 * scope, which the Remote Agent opens with --remote-allow-system-access.
 */
import { existsSync } from "node:fs";
import puppeteer, { type Browser, type Page } from "puppeteer-core";
import { findFirefox } from "../../scripts/find-firefox.mjs";

export interface FirefoxLaunchOptions {
  /** Profile directory; reuse it to simulate a browser restart. */
  userDataDir: string;
  /** Add-on ID → moz-extension:// host, fixed so that the tests know the extension's origin (random per profile otherwise). */
  extensionUuids?: Record<string, string>;
  /** Default true; set HEADED=1 in the environment to watch. */
  headless?: boolean;
}

/** Launches Firefox with the project's preferences (unsigned add-ons allowed, the emulator's self-signed certificate accepted). */
export function launchFirefox(options: FirefoxLaunchOptions): Promise<Browser> {
  return puppeteer.launch({
    browser: "firefox",
    executablePath: findFirefox(),
    headless: options.headless ?? process.env.HEADED !== "1",
    userDataDir: options.userDataDir,
    acceptInsecureCerts: true,
    // The privileged scope: the only way to open moz-extension:// pages (BiDi refuses to navigate
    // to them and exposes no background realm) and to suspend an event page on demand.
    args: ["--remote-allow-system-access"],
    extraPrefsFirefox: {
      "extensions.webextensions.uuids": JSON.stringify(options.extensionUuids ?? {}),
      "xpinstall.signatures.required": false,
    },
  });
}

/**
 * Installs an add-on (.xpi) permanently: it survives restarts of the profile, as a user's does.
 * (`browser.installExtension(dir)` installs a temporary add-on, which Firefox removes at restart.)
 */
export async function installAddon(browser: Browser, xpiPath: string): Promise<string> {
  if (!existsSync(xpiPath)) throw new Error(`No add-on at ${xpiPath}: run \`npm run build\` first`);
  const reply = await bidi<{ extension: string }>(browser, "webExtension.install", { extensionData: { type: "archivePath", path: xpiPath }, "moz:permanent": true });
  return reply.extension;
}

/** puppeteer's Firefox browser speaks BiDi on `connection`, which its public types leave out. */
interface BidiBrowser {
  connection: { send(method: string, params: object): Promise<{ result: unknown }> };
}

/** One raw WebDriver BiDi command (Firefox's moz: extensions included); resolves with its result. */
async function bidi<T>(browser: Browser, method: string, params: object): Promise<T> {
  return (await (browser as unknown as BidiBrowser).connection.send(method, params)).result as T;
}
type EvaluateResult = { type: "success"; result: { type: string; value?: unknown } } | { type: "exception"; exceptionDetails: { text: string } };

/** Runs an expression in the browser's privileged (chrome) scope and returns its JSON-able value. */
async function privileged<T>(browser: Browser, expression: string): Promise<T> {
  const tree = await bidi<{ contexts: Array<{ context: string }> }>(browser, "browsingContext.getTree", { maxDepth: 0, "moz:scope": "chrome" });
  const context = tree.contexts[0]?.context;
  if (!context) throw new Error("Firefox exposed no privileged context: was it launched with --remote-allow-system-access?");
  const reply = await bidi<EvaluateResult>(browser, "script.evaluate", {
    expression: `(async () => JSON.stringify(await (async () => { ${expression} })()))()`,
    target: { context },
    awaitPromise: true,
  });
  if (reply.type === "exception") throw new Error(`privileged script failed: ${reply.exceptionDetails.text}`);
  const value = reply.result.value;
  return (typeof value === "string" ? JSON.parse(value) : undefined) as T;
}

/** The add-on's extension object in the privileged scope (the one about:debugging drives). */
const addonExtension = (addonId: string) => `WebExtensionPolicy.getByID(${JSON.stringify(addonId)}).extension`;

/** "running", "suspending" or "stopped": the browser's own word on the add-on's event page. */
export function backgroundState(browser: Browser, addonId: string): Promise<string> {
  return privileged(browser, `return ${addonExtension(addonId)}.backgroundState;`);
}

/** Suspends the add-on's event page now, as Firefox does after 30 s idle (about:debugging's Terminate). */
export async function suspendBackground(browser: Browser, addonId: string): Promise<void> {
  const state = await privileged<string>(browser, `const ext = ${addonExtension(addonId)}; await ext.terminateBackground(); return ext.backgroundState;`);
  if (state !== "stopped") throw new Error(`the event page did not stop (state: ${state})`);
}

/**
 * Opens a page of the add-on in a new tab (the tab reads as about:blank to BiDi; evaluate and clicks
 * work in it) and returns it once its document is the extension page.
 */
export async function openAddonPage(browser: Browser, url: string): Promise<Page> {
  const known = new Set(await browser.pages());
  await privileged(
    browser,
    `const w = Services.wm.getMostRecentWindow("navigator:browser");
     w.gBrowser.selectedTab = w.gBrowser.addTab(${JSON.stringify(url)}, { triggeringPrincipal: Services.scriptSecurityManager.getSystemPrincipal() });`,
  );
  for (let i = 0; i < 200; i++) {
    for (const page of await browser.pages()) {
      if (known.has(page)) continue;
      const href = await page.evaluate(() => location.href).catch(() => "");
      if (href === url && (await page.evaluate(() => document.readyState).catch(() => "")) === "complete") return page;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`the extension page ${url} did not open`);
}
