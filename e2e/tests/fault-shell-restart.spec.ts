/**
 * Lifecycle cells of the fault matrix (issue 12) for the embeddable shell (dist/web-test, the demo
 * app over `createAuthShell`): a shell tab that loaded without the extension's bridge — restored at
 * browser start-up before the restarted worker re-registered its content scripts — switches to the
 * extension when the worker injects the bridge, and gets its profile with no reload and no prompt.
 * Real Chromium, the built extension; the emulator's request log is the oracle.
 */
import { expect, test, type Page } from "@playwright/test";
import { EmulatorHandle } from "../support/extension-emulator.js";
import { ExtensionBrowser, fillLogin } from "../support/extension-browser.js";
import { serveStatic, type StaticSite } from "../demo/static-server.js";
import { watchSignInWindows } from "./fault-lifecycle-support.js";

test.describe.configure({ mode: "serial" });

let emulator: EmulatorHandle;
let site: StaticSite;
let browser: ExtensionBrowser;

test.beforeAll(async () => {
  emulator = await EmulatorHandle.start();
  site = await serveStatic("dist/web-test");
  browser = await new ExtensionBrowser(emulator).launch();
  await browser.configure([new URL(site.url).origin]);
});

test.afterAll(async () => {
  await browser?.close();
  await site?.close();
  await emulator?.close();
});

function shellUrl(): string {
  const q = new URLSearchParams({ authority: emulator.authority, clientId: emulator.clientId, test: "1" });
  return `${site.url}index.html?${q}`;
}

function shellTabs(): Page[] {
  return browser.context.pages().filter((p) => p.url().startsWith(site.url));
}

/** The shell's own event log, as its status panel shows it: did it switch to the extension after load? */
async function switchedLate(page: Page): Promise<boolean> {
  return (await page.locator('[data-testid="shell-events"] li[data-type="bridge.mode_changed"]').count()) > 0;
}

function trackReloads(page: Page): string[] {
  const navigations: string[] = [];
  page.on("framenavigated", (f) => f === page.mainFrame() && navigations.push(f.url()));
  return navigations;
}

/** The shell tab shows the extension as its source and the profile, with no reload since tracking began. */
async function expectServedInPlace(page: Page, navigations: string[]): Promise<void> {
  await expect(page.getByTestId("token-source")).toHaveText("extension", { timeout: 20_000 });
  await expect(page.getByTestId("profile-name")).toHaveText("Adele Vance", { timeout: 20_000 });
  expect(navigations, "the tab was not reloaded").toEqual([]);
}

test("shell tab loaded while the bridge was unregistered: it switches to the extension when the worker injects the bridge, signed in silently, no reload, no prompt", async () => {
  // Sign in once through the extension, from a shell tab that had the bridge at load.
  const first = await browser.context.newPage();
  await first.goto(shellUrl());
  await expect(first.getByTestId("token-source")).toHaveText("extension");
  const signInWindow = browser.context.waitForEvent("page", (p) => p !== first);
  await first.getByTestId("shell-sign-in").click();
  await fillLogin(await signInWindow);
  await expect(first.getByTestId("profile-name")).toHaveText("Adele Vance");

  // Deterministic form of the restart race (as in fault-lifecycle-restart.spec.ts): the registrations
  // are gone, as after Chrome reloaded the extension; a shell tab loads; only then does a worker start.
  const worker = await browser.worker();
  await worker.evaluate(async () => {
    const ids = (await chrome.scripting.getRegisteredContentScripts()).map((s) => s.id);
    if (ids.length) await chrome.scripting.unregisterContentScripts({ ids });
  });
  const before = await emulator.lastSeq();
  const windows = watchSignInWindows(browser.context, emulator.url);
  const late = await browser.context.newPage();
  await late.goto(shellUrl());
  await expect(late.getByTestId("token-source"), "precondition: the tab loaded without the bridge").toHaveText("standalone");
  expect(await late.evaluate(() => "nestedAppAuthBridge" in window)).toBe(false);
  const navigations = trackReloads(late);

  await browser.stopWorker();
  await browser.send({ kind: "getEvents", limit: 1 }); // wakes a fresh worker, as any extension event would

  await expectServedInPlace(late, navigations);
  expect(await switchedLate(late), "the shell switched mode after load").toBe(true);
  expect(windows).toEqual([]);
  const idp = await emulator.requests({ since: before });
  expect(idp.filter((r) => r.endpoint === "authorize")).toEqual([]);
  // The broker answered from its cache: the page itself sent nothing to the token endpoint.
  expect(idp.filter((r) => r.endpoint === "token" && r.origin === new URL(site.url).origin)).toEqual([]);
  await late.close();
});

test("browser restart with a signed-in shell tab restored at start-up, no wait for the bridge: the tab shows the profile, no reload, no prompt", async () => {
  // The restored tab races the worker's re-registration; it wins or loses depending on the start.
  // Either way the tab must end up served by the extension. Several restarts make the lost race likely.
  const RESTARTS = 3;
  expect(shellTabs().length, "precondition: a signed-in shell tab is open").toBeGreaterThan(0);
  const late: boolean[] = [];
  for (let round = 0; round < RESTARTS; round++) {
    const before = await emulator.lastSeq();
    await browser.restart({ restoreLastSession: true });
    const windows = watchSignInWindows(browser.context, emulator.url);
    for (let i = 0; i < 100 && shellTabs().length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    const tabs = shellTabs();
    expect(tabs.length, `restart ${round + 1}: the browser restored the shell tab`).toBeGreaterThan(0);
    for (const tab of tabs) {
      const navigations = trackReloads(tab);
      await expectServedInPlace(tab, navigations);
      late.push(await switchedLate(tab));
    }
    expect(windows).toEqual([]);
    const idp = await emulator.requests({ since: before });
    expect(idp.filter((r) => r.endpoint === "authorize"), `restart ${round + 1}: no interactive or silent authorize`).toEqual([]);
  }
  test.info().annotations.push({ type: "late bridge", description: `tabs that switched after load: ${late.filter(Boolean).length} of ${late.length}` });
});
