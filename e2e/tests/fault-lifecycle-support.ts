/**
 * Shared set-up of the lifecycle cells (fault-lifecycle-*.spec.ts): one emulator, one fixture origin
 * (or more), the built extension in a persistent profile, a signed-in user, and small probes — the
 * sign-in windows a browser opened, and a short-lived access token left to expire.
 */
import { expect, type Page } from "@playwright/test";
import type { BrowserContext } from "@playwright/test";
import { EmulatorHandle } from "../support/extension-emulator.js";
import { ExtensionBrowser } from "../support/extension-browser.js";
import { startFixtureServer, type FixtureServer } from "../support/extension-fixture-server.js";
import { appPopup, rawBridgeCall } from "../support/extension-page-calls.js";

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface Lifecycle {
  emulator: EmulatorHandle;
  origins: FixtureServer[];
  browser: ExtensionBrowser;
  appUrl(index?: number): string;
}

/** Emulator, fixture origins, browser, grants; signs in once from a tab (unless told not to), which is returned. */
export async function startSignedIn(originCount = 1, signIn = true): Promise<Lifecycle & { tab: Page }> {
  const emulator = await EmulatorHandle.start();
  const origins: FixtureServer[] = [];
  for (let i = 0; i < originCount; i++) origins.push(await startFixtureServer());
  const browser = await new ExtensionBrowser(emulator).launch();
  await browser.configure(origins.map((o) => o.origin));
  const appUrl = (index = 0) => origins[index]!.appUrl({ authority: emulator.authority, clientId: emulator.clientId });
  const tab = await browser.openApp(appUrl());
  if (!signIn) return { emulator, origins, browser, appUrl, tab };
  const [signedIn] = await Promise.all([appPopup(tab), browser.completeSignIn()]);
  expect(signedIn.ok, JSON.stringify(signedIn)).toBe(true);
  return { emulator, origins, browser, appUrl, tab };
}

export async function stopAll(l: Partial<Lifecycle>): Promise<void> {
  await l.browser?.close();
  for (const o of l.origins ?? []) await o.close();
  await l.emulator?.close();
}

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

/**
 * Leaves the broker with an expired access token and a valid refresh token: a forced refresh with
 * a short lifetime, the refresh alarm cleared (proactive refresh is another cell's subject), then
 * the lifetime is waited out.
 */
export async function expireAccessToken(l: Lifecycle, tab: Page, lifetimeS = 3): Promise<void> {
  await l.emulator.setLifetimes({ accessTokenSeconds: lifetimeS, caeAccessTokenSeconds: lifetimeS });
  const reply = await rawBridgeCall(tab, { method: "GetToken", clientId: l.emulator.clientId, forceRefresh: true });
  expect(reply !== "timeout" && reply.success, JSON.stringify(reply)).toBe(true);
  const worker = await l.browser.worker();
  const armedForShortToken = () => worker.evaluate(async () => (await chrome.alarms.getAll()).some((a) => a.scheduledTime < Date.now() + 10_000));
  for (let i = 0; i < 40 && !(await armedForShortToken()); i++) await sleep(25);
  await worker.evaluate(() => chrome.alarms.clearAll());
  await l.emulator.setLifetimes({ accessTokenSeconds: 3600, caeAccessTokenSeconds: 3600 });
  await sleep(lifetimeS * 1000 + 200);
}

/** Waits (bounded) until the page's own window has the bridge; true when it came. */
export async function bridgeArrives(page: Page): Promise<boolean> {
  return page
    .waitForFunction(() => "nestedAppAuthBridge" in window, undefined, { timeout: 15_000 })
    .then(() => true, () => false);
}
