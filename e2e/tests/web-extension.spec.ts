// The SPA shell with the extension installed: tokens come through window.nestedAppAuthBridge, and a
// site the extension allows only for another app is told which client ID to add, and where.
import { expect, test, type BrowserContext } from "@playwright/test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startTestEmulator, type EmulatorControl, type TestEmulator } from "../kit/emulator/control-client.js";
import { fillLogin, openExtensionPage, sendToExtension } from "../support/extension-browser.js";
import { serveStatic, type StaticSite } from "../demo/static-server.js";
import { launchWithExtension } from "../demo/browser.js";
import { configureExtension } from "../demo/extension-control.js";

let emulator: TestEmulator;
let site: StaticSite;
let context: BrowserContext;
let control: EmulatorControl;
let profileDir: string;

test.beforeAll(async () => {
  emulator = await startTestEmulator();
  control = emulator.control;
  site = await serveStatic("dist/web-test");
  profileDir = mkdtempSync(join(tmpdir(), "web-ext-"));
  context = await launchWithExtension(profileDir);
  await configureExtension(context, {
    authority: emulator.authority,
    clientId: emulator.clientId,
    scopes: ["User.Read"],
    grants: [{ origin: new URL(site.url).origin, clientIds: [emulator.clientId] }],
  });
});

test.afterAll(async () => {
  await context?.close();
  await site?.close();
  await emulator?.close();
  if (profileDir) rmSync(profileDir, { recursive: true, force: true });
});

function shellUrl(): string {
  const q = new URLSearchParams({ authority: emulator.authority, clientId: emulator.clientId, test: "1" });
  return `${site.url}index.html?${q}`;
}

test("with the extension: one sign-in through the broker, then a second tab with no prompt", async () => {
  const page = await context.newPage();
  await page.goto(shellUrl());
  await expect(page.getByTestId("token-source")).toHaveText("extension");

  const mark = await control.lastSeq();
  const signInWindow = context.waitForEvent("page", (p) => p !== page);
  await page.getByTestId("shell-sign-in").click();
  await fillLogin(await signInWindow, "adele@contoso.test");
  await expect(page.getByTestId("profile-name")).toHaveText("Adele Vance");
  await expect(page.getByTestId("admin-panel")).toBeVisible();
  const signIn = await control.requests({ since: mark });
  expect(signIn.filter((e) => e.endpoint === "token" && e.grantType === "authorization_code")).toHaveLength(1);
  // The page itself made no request to the IdP: the broker did (Origin chrome-extension://…).
  expect(signIn.filter((e) => e.endpoint === "token" && e.origin === new URL(site.url).origin)).toHaveLength(0);

  const afterSignIn = await control.lastSeq();
  let windows = 0;
  context.on("page", () => windows++);
  const second = await context.newPage();
  await second.goto(shellUrl());
  await expect(second.getByTestId("token-source")).toHaveText("extension");
  await expect(second.getByTestId("profile-name")).toHaveText("Adele Vance");
  expect(windows).toBe(1); // the second tab itself; no sign-in window
  const later = await control.requests({ since: afterSignIn });
  expect(later.filter((e) => e.endpoint === "authorize")).toHaveLength(0);
  expect(later.filter((e) => e.endpoint === "token")).toHaveLength(0);
  expect(later.filter((e) => e.endpoint === "me" && e.status === 200)).toHaveLength(1);
});

test("with the extension: the broker's throttling shows in the status panel and counts down", async () => {
  const page = await context.newPage();
  await page.goto(shellUrl());
  await expect(page.getByTestId("profile-name")).toHaveText("Adele Vance");
  await page.waitForFunction(() => window.__authShell !== undefined);
  await control.setFault({ endpoint: "token", type: "status", status: 429, retryAfter: 59, count: 1 });
  const mark = await control.lastSeq();
  // A claims request bypasses every cache, so the broker must go to the (throttling) token endpoint.
  const claims = JSON.stringify({ access_token: { nbf: { essential: true, value: String(Math.floor(Date.now() / 1000)) } } });
  const outcome = await page.evaluate((c) => window.__authShell!.acquire({ claims: c }), claims);
  expect(outcome).toMatchObject({ ok: false, code: "throttled" });
  // The wait crossed the bridge and MSAL's error mapping as data (shared/protocol/naa-wait.ts).
  expect(outcome.retryAfterMs).toBeGreaterThan(0);
  expect(outcome.retryAfterMs).toBeLessThanOrEqual(59_000);
  const throttled = (await control.requests({ since: mark })).filter((e) => e.endpoint === "token" && e.status === 429);
  expect(throttled).toHaveLength(1);
  const state = page.getByTestId("throttle-state");
  await expect(state).toContainText("the extension: paused");
  const seconds = async () => Number(/paused (\d+) s/.exec((await state.textContent()) ?? "")?.[1] ?? "NaN");
  const first = await seconds();
  expect(first).toBeGreaterThan(0);
  expect(first).toBeLessThanOrEqual(59);
  await expect.poll(seconds).toBeLessThan(first);
  await expect(page.locator("body")).not.toContainText("[retryAfterMs="); // The encoding is not for people.
  await control.clearFaults();
  await page.close();
});

test("with the extension: a site allowed for ANOTHER client ID shows the sentence naming the app's client ID and where to add it", async () => {
  // A second origin whose grant names only another app; the shell there asks as emulator.clientId.
  const otherApp = "3c1d2e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f";
  const second = await serveStatic("dist/web-test");
  const extensionPage = await openExtensionPage(context, "options.html");
  await sendToExtension(extensionPage, { kind: "addGrant", grant: { origin: new URL(second.url).origin, clientIds: [otherApp] } });
  // Signed in (the first test does it; alone, sign in here): the shell's start-up silent request then
  // reaches the broker, which refuses it for the client ID, not for a missing account.
  if ((await sendToExtension<{ accounts: unknown[] }>(extensionPage, { kind: "getStatus" })).accounts.length === 0) {
    const window = context.waitForEvent("page", (p) => p.url().startsWith(emulator.url) || p.url() === "about:blank");
    const signingIn = sendToExtension(extensionPage, { kind: "signIn" });
    await fillLogin(await window, "adele@contoso.test");
    await signingIn;
  }
  await extensionPage.close();

  const mark = await control.lastSeq();
  let windows = 0;
  context.on("page", () => windows++);
  const page = await context.newPage();
  const q = new URLSearchParams({ authority: emulator.authority, clientId: emulator.clientId, test: "1" });
  await page.goto(`${second.url}index.html?${q}`);
  await expect(page.getByTestId("token-source")).toHaveText("extension");
  const error = page.getByTestId("shell-error");
  await expect(error).toHaveAttribute("data-code", "client_not_allowed");
  await expect(error).toHaveText(
    `The browser extension allows this site, but not for this app's client ID ${emulator.clientId}. Add ${emulator.clientId} to the site's client IDs under “Allowed sites” in the extension's options page, then reload.`,
  );
  await expect(page.getByTestId("profile-name")).toHaveCount(0);
  // Refused inside the broker: nothing reached the IdP or the resource, and no sign-in window opened.
  expect(await control.requests({ since: mark })).toEqual([]);
  expect(windows).toBe(1); // the tab itself
  await page.close();
  await second.close();
});
