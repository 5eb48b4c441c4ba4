/**
 * The broker in real Firefox (firefox-esr over WebDriver BiDi, the add-on installed permanently from
 * dist/extension-firefox.xpi): one sign-in window, then an UNMODIFIED msal-browser nestable app gets
 * its tokens silently in two more tabs; an ungranted origin and another port of the granted host see
 * no bridge (Firefox match patterns carry no port); after a browser restart a token comes from the
 * encrypted cache with no window and no IdP request. The emulator's request log is the truth.
 */
import { expect, test } from "@playwright/test";
import type { Page } from "puppeteer-core";
import { startFixtureServer, type FixtureServer } from "../support/extension-fixture-server.js";
import { appPopup, appSilent, hasBridge, inPage } from "../support/extension-page-calls.js";
import { startSignedInWith, stopAll, type ExtensionStack } from "../support/extension-stack.js";
import { FirefoxExtensionBrowser } from "../support/firefox-browser.js";
import { USERNAME } from "../support/extension-browser.js";

test.describe.configure({ mode: "serial" });

let stack: ExtensionStack<FirefoxExtensionBrowser>;
let tab: Page;
let otherPort: FixtureServer;
let otherHost: FixtureServer;
let signedInToken: string;

const mode = (page: Page) => inPage(page, () => (window as unknown as { naaApp: { mode(): Promise<string> } }).naaApp.mode(), undefined);

test.beforeAll(async () => {
  ({ tab, ...stack } = await startSignedInWith((emulator) => new FirefoxExtensionBrowser(emulator).launch(), 1, false));
  otherPort = await startFixtureServer(); // localhost on another port: the same host, not granted
  otherHost = await startFixtureServer("127.0.0.1");
});

test.afterAll(async () => {
  await stopAll(stack ?? {});
  await otherPort?.close();
  await otherHost?.close();
});

test("one sign-in window, then the unmodified MSAL app gets tokens silently in two more tabs with no IdP request", async () => {
  const { emulator, browser } = stack;
  expect(await mode(tab)).toBe("nested");
  const windows = browser.watchSignInWindows();
  const [signedIn] = await Promise.all([appPopup(tab), browser.completeSignIn()]);
  expect(signedIn.ok, JSON.stringify(signedIn)).toBe(true);
  if (!signedIn.ok) return;
  expect(signedIn.username).toBe(USERNAME);
  signedInToken = signedIn.accessToken;
  expect((await emulator.requests({ endpoint: "token", grantType: "authorization_code" })).length).toBe(1);

  const before = await emulator.lastSeq();
  const tabs = [await browser.openApp(stack.appUrl()), await browser.openApp(stack.appUrl())];
  const results = await Promise.all(tabs.map((t) => appSilent(t)));
  for (const result of results) {
    expect(result.ok, JSON.stringify(result)).toBe(true);
    if (result.ok) expect(result.accessToken).toBe(signedInToken);
  }
  expect(await emulator.requests({ since: before })).toEqual([]);
  expect(windows.stop()).toBe(1);
  await Promise.all(tabs.map((t) => t.close()));
});

test("an ungranted origin and another port of the granted host see no bridge, and nothing reaches the IdP for them", async () => {
  const { emulator, browser } = stack;
  const before = await emulator.lastSeq();
  const app = { authority: emulator.authority, clientId: emulator.clientId };
  const pages = [await browser.openApp(otherPort.appUrl(app)), await browser.openApp(otherHost.appUrl(app))];
  for (const page of pages) {
    expect(await hasBridge(page), page.url()).toBe(false);
    expect(await mode(page), page.url()).toBe("standard");
  }
  // The granted origin in the same browser does have it: the probe above can see a bridge.
  expect(await hasBridge(tab)).toBe(true);
  expect(await emulator.requests({ since: before })).toEqual([]);
  await Promise.all(pages.map((p) => p.close()));
});

test("after a browser restart (same profile) a token comes from the encrypted cache: no window, no IdP request", async () => {
  const { emulator, browser } = stack;
  await browser.restart();
  const windows = browser.watchSignInWindows();
  await browser.waitForBridgeRegistration();
  const before = await emulator.lastSeq();
  const page = await browser.openApp(stack.appUrl());
  const result = await appSilent(page);
  expect(result.ok, JSON.stringify(result)).toBe(true);
  if (result.ok) expect(result.accessToken).toBe(signedInToken);
  expect(await emulator.requests({ since: before })).toEqual([]);
  expect(windows.stop()).toBe(0);
});
