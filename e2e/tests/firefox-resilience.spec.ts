/**
 * The broker's resilience in real Firefox, through the same cells the Chromium specs run
 * (e2e/support/broker-cells.ts): a 429 on /token sends nothing inside Retry-After; a 503 outage serves
 * the cached token, retries ≥ 5 s apart and opens no window; and the event page, suspended as Firefox
 * does after 30 s idle, is woken by the broker's alarm for a proactive refresh with no page asking.
 */
import { expect, test } from "@playwright/test";
import type { Page } from "puppeteer-core";
import { outageCell, proactiveRefreshCell, throttledTokenCell } from "../support/broker-cells.js";
import { startSignedInWith, stopAll, type ExtensionStack } from "../support/extension-stack.js";
import { FirefoxExtensionBrowser } from "../support/firefox-browser.js";
import { waitForShortRefreshAlarm } from "../support/token-expiry.js";

test.describe.configure({ mode: "serial" });

let stack: ExtensionStack<FirefoxExtensionBrowser>;
let tab: Page;

test.beforeAll(async () => {
  ({ tab, ...stack } = await startSignedInWith((emulator) => new FirefoxExtensionBrowser(emulator).launch()));
});

test.afterAll(async () => {
  await stopAll(stack ?? {});
});

test("event page suspended → the refresh alarm wakes it → a proactive refresh at refresh_in, no page asking", async () => {
  const { browser } = stack;
  await proactiveRefreshCell(stack, tab, async () => {
    expect(await waitForShortRefreshAlarm(browser), "the broker armed its refresh alarm").toBe(true);
    await browser.stopWorker();
    expect(await browser.backgroundState()).toBe("stopped");
  });
  expect(await browser.backgroundState(), "the alarm woke the event page").toBe("running");
});

test("429 on /token: an immediate TRANSIENT_ERROR, 0 requests inside Retry-After", async () => {
  await throttledTokenCell(stack, tab, stack.appUrl());
});

test("503 outage: cached tokens served, retries ≥ 5 s apart, no sign-in window", async () => {
  const windows = stack.browser.watchSignInWindows();
  await outageCell(stack, tab);
  expect(windows.stop()).toBe(0);
});
