/**
 * What the lifecycle cells (fault-lifecycle-*.spec.ts) share: the common set-up (extension-stack.ts)
 * and expiry helper (token-expiry.ts), and small probes — the sign-in windows a browser opened, and
 * whether a page's window got the bridge.
 */
import type { BrowserContext, Page } from "@playwright/test";
export { expireAccessToken } from "../support/token-expiry.js";
export { startSignedIn, stopAll, type ExtensionStack } from "../support/extension-stack.js";

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Records every sign-in window (a page showing the emulator's authorize UI) the context opens. */
export function watchSignInWindows(context: BrowserContext, emulatorUrl: string): string[] {
  const windows: string[] = [];
  const check = (p: Page) => {
    if (p.url().startsWith(emulatorUrl)) windows.push(p.url());
    else void p.waitForURL((u) => u.href.startsWith(emulatorUrl), { timeout: 60_000 }).then(() => windows.push(p.url()), () => undefined);
  };
  context.on("page", check);
  return windows;
}

/** Waits (bounded) until the page's own window has the bridge; true when it came. */
export async function bridgeArrives(page: Page): Promise<boolean> {
  return page
    .waitForFunction(() => "nestedAppAuthBridge" in window, undefined, { timeout: 15_000 })
    .then(() => true, () => false);
}
