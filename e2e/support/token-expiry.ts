/**
 * Leaving the broker with an expired access token and a valid refresh token, so the next ask needs
 * a refresh: the cells about refresh faults start from there.
 */
import { expect, type Page } from "@playwright/test";
import type { EmulatorHandle } from "./extension-emulator.js";
import type { ExtensionBrowser } from "./extension-browser.js";
import { rawBridgeCall } from "./extension-page-calls.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Proactive refresh is its own cell's subject (extension-resilience 8): wait until the worker armed
 * the refresh alarm for the short-lived token (it does right after answering), then clear it.
 */
export async function stopProactiveRefresh(browser: ExtensionBrowser): Promise<void> {
  const worker = await browser.worker();
  const armedForShortToken = () => worker.evaluate(async () => (await chrome.alarms.getAll()).some((a) => a.scheduledTime < Date.now() + 10_000));
  for (let i = 0; i < 40 && !(await armedForShortToken()); i++) await sleep(25);
  await worker.evaluate(() => chrome.alarms.clearAll());
}

/**
 * A forced refresh with a short lifetime (the broker declares cp1, so its tokens are CAE tokens:
 * both lifetimes are shortened), proactive refresh stopped, lifetimes restored, the short one waited out.
 */
export async function expireAccessToken(stack: { emulator: EmulatorHandle; browser: ExtensionBrowser }, tab: Page, lifetimeS = 3): Promise<void> {
  const { emulator, browser } = stack;
  await emulator.setLifetimes({ accessTokenSeconds: lifetimeS, caeAccessTokenSeconds: lifetimeS });
  const reply = await rawBridgeCall(tab, { method: "GetToken", clientId: emulator.clientId, forceRefresh: true });
  expect(reply !== "timeout" && reply.success, JSON.stringify(reply)).toBe(true);
  await stopProactiveRefresh(browser);
  await emulator.setLifetimes({ accessTokenSeconds: 3600, caeAccessTokenSeconds: 3600 });
  await sleep(lifetimeS * 1000 + 200);
}
