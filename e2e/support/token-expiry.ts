/**
 * Leaving the broker with an expired access token and a valid refresh token, so the next ask needs
 * a refresh: the cells about refresh faults start from there.
 */
import { expect } from "@playwright/test";
import type { EmulatorHandle } from "./extension-emulator.js";
import { rawBridgeCall, type Page } from "./extension-page-calls.js";

/** Either engine's browser with the extension (ExtensionBrowser, FirefoxExtensionBrowser). */
interface WithExtensionScope {
  inExtension<A, R>(fn: (arg: A) => R | Promise<R>, arg: A): Promise<R>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Proactive refresh is its own cell's subject (extension-resilience 8): wait until the worker armed
 * the refresh alarm for the short-lived token (it does right after answering), then clear it.
 */
export async function stopProactiveRefresh(browser: WithExtensionScope): Promise<void> {
  await waitForShortRefreshAlarm(browser);
  await browser.inExtension(() => chrome.alarms.clearAll(), undefined);
}

/** Waits (bounded) until the broker armed a refresh alarm due within 10 s; true when it did. */
export async function waitForShortRefreshAlarm(browser: WithExtensionScope): Promise<boolean> {
  const armed = () => browser.inExtension(async () => (await chrome.alarms.getAll()).some((a) => a.scheduledTime < Date.now() + 10_000), undefined);
  for (let i = 0; i < 40; i++) {
    if (await armed()) return true;
    await sleep(25);
  }
  return false;
}

/**
 * A forced refresh with a short lifetime (the broker declares cp1, so its tokens are CAE tokens:
 * both lifetimes are shortened), proactive refresh stopped, lifetimes restored, the short one waited out.
 */
export async function expireAccessToken(stack: { emulator: EmulatorHandle; browser: WithExtensionScope }, tab: Page, lifetimeS = 3): Promise<void> {
  const { emulator, browser } = stack;
  await emulator.setLifetimes({ accessTokenSeconds: lifetimeS, caeAccessTokenSeconds: lifetimeS });
  const reply = await rawBridgeCall(tab, { method: "GetToken", clientId: emulator.clientId, forceRefresh: true });
  expect(reply !== "timeout" && reply.success, JSON.stringify(reply)).toBe(true);
  await stopProactiveRefresh(browser);
  await emulator.setLifetimes({ accessTokenSeconds: 3600, caeAccessTokenSeconds: 3600 });
  await sleep(lifetimeS * 1000 + 200);
}
