import type { BrowserContext } from "@playwright/test";
import { launchWithExtension as launchExtensionBrowser, type ExtensionLaunchOptions } from "../support/extension-browser.js";

export { launchPlain } from "../support/chromium.js";

/** The first tab's size in the demo's and bench's browser (the report pictures it). */
export const DEMO_VIEWPORT = { width: 1100, height: 800 };

/** The shared extension launcher (e2e/support/extension-browser.ts) with the demo's tab size. */
export function launchWithExtension(userDataDir: string, options: ExtensionLaunchOptions = {}): Promise<BrowserContext> {
  return launchExtensionBrowser(userDataDir, { viewport: DEMO_VIEWPORT, ...options });
}
