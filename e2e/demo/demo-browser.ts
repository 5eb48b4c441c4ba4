/**
 * The demo's browser on either engine (`npm start -- --browser firefox`): Chromium through Playwright
 * with the unpacked extension (e2e/support/extension-browser.ts), Firefox through puppeteer-core with
 * the XPI installed permanently (e2e/support/firefox-browser.ts). The steps only use what both
 * drivers share — CSS selectors, clicks, screenshots, evaluate — through the helpers below.
 */
import { ExtensionBrowser, type EmulatorAddress } from "../support/extension-browser.js";
import { inPage, type Page } from "../support/extension-page-calls.js";

export { inPage };
import { FirefoxExtensionBrowser } from "../support/firefox-browser.js";
import { DEMO_VIEWPORT } from "./browser.js";

export type { Page };
export type Engine = "chromium" | "firefox";

/** What the demo needs of a browser with the extension: ExtensionBrowser (Chromium) and FirefoxExtensionBrowser both are one. */
export type DemoBrowser = Pick<
  ExtensionBrowser | FirefoxExtensionBrowser,
  "newTab" | "extensionPage" | "extensionMessenger" | "signInWindow" | "watchSignInWindows" | "stopWorker" | "restart" | "close"
>;

/** Launches the engine's browser with the built extension, headless or not, at the demo's tab size. */
export function launchDemoBrowser(engine: Engine, emulator: EmulatorAddress, headless: boolean): Promise<DemoBrowser> {
  const options = { headless, viewport: DEMO_VIEWPORT };
  return engine === "firefox" ? new FirefoxExtensionBrowser(emulator).launch(options) : new ExtensionBrowser(emulator).launch(options);
}

/** What Playwright's and puppeteer's pages have in common, and the demo uses. */
interface CommonPage {
  click(selector: string): Promise<void>;
  screenshot(): Promise<Uint8Array>;
  $(selector: string): Promise<{ screenshot(): Promise<Uint8Array> } | null>;
  url(): string;
  close(): Promise<void>;
  bringToFront(): Promise<void>;
}
const common = (page: Page) => page as unknown as CommonPage;

export const byTestId = (id: string) => `[data-testid="${id}"]`;

/**
 * Clicks as a person does: in the tab in front. Firefox throttles hidden tabs (timers to 1 s,
 * rendering far less often) and puppeteer's click waits for the element's IntersectionObserver
 * callback, a rendering tick: in a tab behind others one click took up to 32 s, past the wait
 * for the sign-in window it opens.
 */
export async function click(page: Page, selector: string): Promise<void> {
  await common(page).bringToFront();
  await common(page).click(selector);
}

/** The text of the first element matching `selector`, or null. */
export function textOf(page: Page, selector: string): Promise<string | null> {
  return inPage(page, (s) => document.querySelector(s)?.textContent ?? null, selector);
}

export function attributeOf(page: Page, selector: string, name: string): Promise<string | null> {
  return inPage(page, ([s, n]) => document.querySelector(s!)?.getAttribute(n!) ?? null, [selector, name]);
}

export function countOf(page: Page, selector: string): Promise<number> {
  return inPage(page, (s) => document.querySelectorAll(s).length, selector);
}

/** Polls `check` until it holds or `timeout` passes; true when it held. */
export async function waitUntil(check: () => Promise<boolean>, timeout = 20_000): Promise<boolean> {
  const deadline = Date.now() + timeout;
  for (;;) {
    if (await check().catch(() => false)) return true;
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Waits until an element matches `selector` (or, `gone`, until none does); true when it did in time. */
export function waitForSelector(page: Page, selector: string, options: { timeout?: number; gone?: boolean } = {}): Promise<boolean> {
  return waitUntil(async () => (await countOf(page, selector)) > 0 !== (options.gone ?? false), options.timeout);
}

/** A PNG of the tab (or of the first element matching `selector`), base64. */
export async function screenshotOf(page: Page, selector?: string): Promise<string> {
  const target = selector ? await common(page).$(selector) : common(page);
  if (!target) throw new Error(`nothing to picture: ${selector}`);
  return Buffer.from(await target.screenshot()).toString("base64");
}
