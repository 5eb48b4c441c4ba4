/**
 * The popup's "Allow this site" (docs/architecture.md, "The extension's UI"): the popup grants the active tab's origin, the bridge then
 * appears on that origin after a reload, and removing the grant takes it away again.
 *
 * A toolbar popup cannot be opened for a tab in headless Chromium, so the test opens the production
 * popup.html as a background tab in the fixture tab's window (through chrome.tabs from the extension's
 * own worker): the popup asks `chrome.tabs.query({ active: true, currentWindow: true })` exactly as it
 * does as a toolbar popup, and that active tab is the fixture page. No test-only path in the popup.
 */
import { expect, test, type Page } from "@playwright/test";
import { EmulatorHandle } from "../support/extension-emulator.js";
import { ExtensionBrowser } from "../support/extension-browser.js";
import { startFixtureServer, type FixtureServer } from "../support/extension-fixture-server.js";
import { hasBridge } from "../support/extension-page-calls.js";

let emulator: EmulatorHandle;
let site: FixtureServer;
let browser: ExtensionBrowser;

test.beforeAll(async () => {
  emulator = await EmulatorHandle.start();
  site = await startFixtureServer();
  browser = await new ExtensionBrowser(emulator).launch();
  await browser.configure([]); // no origin granted yet
});

test.afterAll(async () => {
  await browser?.close();
  await site?.close();
  await emulator?.close();
});

/** Reloads the fixture page and reports whether the bridge is there (the content script runs at document_start). */
async function bridgeAfterReload(page: Page): Promise<boolean> {
  await page.reload();
  await page.waitForFunction(() => typeof (window as unknown as { naaApp?: unknown }).naaApp === "object");
  return hasBridge(page);
}

/** Opens popup.html as an inactive tab next to the tab showing `origin`, which stays the active tab. */
async function openPopupBeside(origin: string): Promise<Page> {
  const worker = await browser.worker();
  const opened = browser.context.waitForEvent("page", (p) => p.url() === browser.pageUrl("popup.html"));
  await worker.evaluate(
    async ({ pattern, popupUrl }) => {
      const [tab] = await chrome.tabs.query({ url: pattern });
      if (tab?.id === undefined) throw new Error(`no tab matches ${pattern}`);
      await chrome.tabs.update(tab.id, { active: true });
      await chrome.tabs.create({ windowId: tab.windowId, url: popupUrl, active: false });
    },
    { pattern: `${origin}/*`, popupUrl: browser.pageUrl("popup.html") },
  );
  return opened;
}

test("popup: “Allow this site” grants the active tab's origin; the bridge appears there, and goes with grant-remove", async () => {
  const app = await browser.openApp(site.appUrl({ authority: emulator.authority, clientId: emulator.clientId }));
  expect(await hasBridge(app)).toBe(false);

  const popup = await openPopupBeside(site.origin);
  const allow = popup.getByTestId("grant-allow-site");
  // The popup found the fixture tab as the active tab of its window.
  await expect(allow).toHaveText(`Allow this site (${site.origin})`);
  await expect(allow).toBeEnabled();
  await expect(popup.getByTestId("grant-list").locator(`li[data-origin="${site.origin}"]`)).toHaveCount(0);

  // A real click (a user gesture, which chrome.permissions.request needs) in the foregrounded popup.
  await popup.bringToFront();
  await allow.click();
  const entry = popup.getByTestId("grant-list").locator(`li[data-origin="${site.origin}"]`);
  await expect(entry).toHaveCount(1);
  await expect(popup.locator(".error")).toHaveCount(0);
  expect((await browser.send<Array<{ origin: string }>>({ kind: "listGrants" })).map((g) => g.origin)).toEqual([site.origin]);
  await expect.poll(() => bridgeAfterReload(app)).toBe(true);

  await entry.getByTestId("grant-remove").click();
  await expect(entry).toHaveCount(0);
  expect(await browser.send<unknown[]>({ kind: "listGrants" })).toEqual([]);
  await expect.poll(() => bridgeAfterReload(app)).toBe(false);
  await popup.close();
  await app.close();
});
