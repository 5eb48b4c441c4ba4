/**
 * Saving a new client ID or authority on the options page (issue 10), in real Chromium with the
 * built extension: before saving, the page says what will happen to the signed-in accounts and to the
 * allowed sites; saving does exactly that (extension/background/config-change.ts) — read back
 * through the worker, the page's account list, and the emulator's request log (no refresh token of a
 * signed-out account is redeemed afterwards).
 */
import { expect, test, type Page } from "@playwright/test";
import type { Grant } from "../../extension/protocol/views.js";
import { EmulatorHandle, OTHER_CLIENT_ID } from "../support/extension-emulator.js";
import { ExtensionBrowser } from "../support/extension-browser.js";
import { startFixtureServer, type FixtureServer } from "../support/extension-fixture-server.js";
import { appSilent } from "../support/extension-page-calls.js";

let emulator: EmulatorHandle;
let site: FixtureServer;
let browser: ExtensionBrowser;

test.beforeAll(async () => {
  emulator = await EmulatorHandle.start();
  site = await startFixtureServer();
  browser = await new ExtensionBrowser(emulator).launch();
});

test.afterAll(async () => {
  await browser?.close();
  await site?.close();
  await emulator?.close();
});

test.beforeEach(async () => {
  await browser.configure([]);
  for (const g of await browser.send<Grant[]>({ kind: "listGrants" })) await browser.send({ kind: "removeGrant", origin: g.origin });
});

async function openOptions(): Promise<Page> {
  const page = await browser.context.newPage();
  await page.goto(browser.pageUrl("options.html"));
  await expect(page.getByTestId("config-loading")).toHaveCount(0);
  await expect(page.getByTestId("config-authority")).toHaveValue(emulator.authority);
  return page;
}

const stored = () => browser.send<{ authority: string; clientId: string }>({ kind: "getConfig" });

test("a changed client ID is announced before saving and does what it said: grants follow it", async () => {
  await browser.configure([site.origin]);
  const page = await openOptions();
  await page.getByTestId("config-client-id").fill(OTHER_CLIENT_ID);
  await expect(page.getByTestId("config-change-notice")).toContainText(`1 allowed site(s) name the client ID ${emulator.clientId}; saving makes them name ${OTHER_CLIENT_ID} instead.`);
  await page.getByTestId("config-save").click();
  await expect(page.getByTestId("config-message")).toHaveText("Saved. 1 allowed site(s) now name the new client ID.");
  expect((await stored()).clientId).toBe(OTHER_CLIENT_ID);
  expect((await browser.send<Grant[]>({ kind: "listGrants" })).map((g) => g.clientIds)).toEqual([[OTHER_CLIENT_ID]]);
  await page.close();
});

test("a changed authority with an account signed in: the notice says what happens to the account and the sites; saving does exactly that", async () => {
  await browser.configure([site.origin]);
  const signingIn = browser.send({ kind: "signIn" });
  await browser.completeSignIn();
  await signingIn;
  const grantsBefore = await browser.send<Grant[]>({ kind: "listGrants" });
  expect(grantsBefore).toMatchObject([{ origin: site.origin, clientIds: [emulator.clientId] }]);
  // Another tenant path the emulator accepts: a real admin moving the broker to another tenant.
  const newAuthority = `${emulator.url}/organizations`;
  const page = await openOptions();
  await expect(page.getByTestId("account-item")).toHaveCount(1);
  await page.getByTestId("config-authority").fill(newAuthority);
  await expect(page.getByTestId("config-change-notice")).toHaveText("Saving signs out 1 account(s): their sign-in belongs to the old authority. 1 allowed site(s) keep their client IDs and scopes.");

  const since = await emulator.lastSeq();
  await page.getByTestId("config-save").click();
  await expect(page.getByTestId("config-message")).toHaveText("Saved. 1 account(s) signed out.", { timeout: 20_000 });
  expect((await stored()).authority).toBe(newAuthority);
  expect((await browser.send<{ accounts: unknown[] }>({ kind: "getStatus" })).accounts).toEqual([]);
  await expect(page.getByTestId("account-item")).toHaveCount(0); // The page's own account list follows.
  expect(await browser.send<Grant[]>({ kind: "listGrants" })).toEqual(grantsBefore);

  // The signed-out account's refresh token is gone: the granted site's silent request gets no token
  // and nothing redeems a refresh token at the new authority.
  await browser.waitForBridgeRegistration();
  const app = await browser.openApp(site.appUrl({ authority: newAuthority, clientId: emulator.clientId }));
  expect(await appSilent(app)).toMatchObject({ ok: false });
  expect(await emulator.tokenPosts(since)).toEqual([]);
  await app.close();
  await page.close();
});
