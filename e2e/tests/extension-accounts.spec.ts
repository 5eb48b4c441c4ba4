/**
 * Several accounts in the extension (issue 10, item 1), in real Chromium against the emulator's two
 * users: the popup signs in Adele, adds Alex (the emulator's log shows prompt=select_account on that
 * authorize request), lists both with the active one marked, switches, and signs one out. An
 * unmodified msal-browser nestable app gets the ACTIVE account's token; a raw bridge request naming
 * the other user by login hint or by homeAccountId (platformBrokerId) gets THAT user's token. axe-core runs on the popup with two accounts.
 */
import { expect, test, type Page } from "@playwright/test";
import { seriousAxeViolations } from "../support/axe.js";
import { EmulatorHandle } from "../support/extension-emulator.js";
import { ExtensionBrowser, USERNAME, openExtensionPage } from "../support/extension-browser.js";
import { startFixtureServer, type FixtureServer } from "../support/extension-fixture-server.js";
import { appSilent, rawBridgeCall } from "../support/extension-page-calls.js";

const ADELE = USERNAME;
const ALEX = "alex@contoso.test";

let emulator: EmulatorHandle;
let fixture: FixtureServer;
let browser: ExtensionBrowser;

test.beforeAll(async () => {
  emulator = await EmulatorHandle.start();
  fixture = await startFixtureServer();
  browser = await new ExtensionBrowser(emulator).launch();
  await browser.configure([fixture.origin]);
});

test.afterAll(async () => {
  await browser?.close();
  await fixture?.close();
  await emulator?.close();
});

/** The oracle's reading of an access token (the broker never shows token values; the test decodes them). */
function tokenUser(jwt: string): string {
  const claims = JSON.parse(Buffer.from(jwt.split(".")[1]!, "base64url").toString("utf8")) as { preferred_username?: string };
  return claims.preferred_username ?? "";
}

function item(popup: Page, username: string) {
  return popup.getByTestId("account-item").filter({ hasText: username });
}

async function expectActive(popup: Page, username: string): Promise<void> {
  await expect(item(popup, username)).toHaveAttribute("aria-current", "true");
  await expect(item(popup, username)).toHaveAttribute("data-active", "true");
  await expect(item(popup, username)).toContainText("Active");
  await expect(popup.locator('[data-testid="account-item"][data-active="true"]')).toHaveCount(1);
}

/** The element that has focus, as testid + username (never <body>). */
function focused(popup: Page): Promise<string> {
  return popup.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return "body";
    return `${el.getAttribute("data-testid") ?? el.tagName.toLowerCase()}${el.getAttribute("data-testid") === "account-item" ? `:${el.textContent ?? ""}` : ""}`;
  });
}

test("two accounts: add with prompt=select_account, list, switch, per-account tokens, sign one out", async () => {
  const popup = await openExtensionPage(browser.context, "popup.html");
  await expect(popup.getByTestId("account-name")).toHaveText("Not signed in");

  // 1. First sign-in: Adele, who becomes the active account.
  await Promise.all([popup.getByTestId("sign-in").click(), browser.completeSignIn(ADELE)]);
  await expect(popup.getByTestId("account-item")).toHaveCount(1);
  await expectActive(popup, ADELE);
  await expect.poll(() => focused(popup)).toContain(`account-item:`);
  expect(await focused(popup)).toContain(ADELE);

  // 2. "Add another account": the sign-in window asks the IdP to offer a choice (prompt=select_account).
  const beforeAdd = await emulator.lastSeq();
  await Promise.all([popup.getByTestId("account-add").click(), browser.completeSignIn(ALEX)]);
  await expect(popup.getByTestId("account-list").getByTestId("account-item")).toHaveCount(2);
  const addRequests = (await emulator.requests({ since: beforeAdd, endpoint: "authorize" })).filter((r) => r.method === "GET");
  expect(addRequests.map((r) => r.prompt)).toEqual(["select_account"]); // no silent prompt=none answered for the person
  // The account the person just added is the active one, and has focus.
  await expectActive(popup, ALEX);
  await expect.poll(() => focused(popup)).toContain(ALEX);
  await expect(item(popup, ADELE)).toContainText(ADELE);
  await expect(item(popup, ADELE).getByTestId("account-switch")).toBeVisible();
  await expect(item(popup, ALEX).getByTestId("account-switch")).toHaveCount(0);

  // axe on the whole popup with two accounts: no serious or critical violation.
  expect(await seriousAxeViolations(popup)).toEqual([]);

  // The options page shows the same list.
  const options = await openExtensionPage(browser.context, "options.html");
  await expect(options.getByTestId("account-list").getByTestId("account-item")).toHaveCount(2);
  await expect(options.locator('[data-testid="account-item"][aria-current="true"]')).toContainText(ALEX);
  await options.close();

  // 3. Switch back to Adele, by keyboard only: she is active again, focus on her item; pages now get her tokens.
  await item(popup, ADELE).getByTestId("account-switch").focus();
  await popup.keyboard.press("Enter");
  await expectActive(popup, ADELE);
  await expect.poll(() => focused(popup)).toContain(ADELE);

  const app = await browser.openApp(fixture.appUrl({ authority: emulator.authority, clientId: emulator.clientId }));
  const silent = await appSilent(app);
  expect(silent.ok, JSON.stringify(silent)).toBe(true);
  if (silent.ok) {
    expect(silent.username).toBe(ADELE);
    expect(tokenUser(silent.accessToken)).toBe(ADELE);
  }
  const init = (await rawBridgeCall(app, { method: "GetInitContext", clientId: emulator.clientId })) as { initContext?: { accountContext?: { homeAccountId?: string } } };
  const adeleId = await item(popup, ADELE).getAttribute("data-home-account-id");
  expect(init.initContext?.accountContext?.homeAccountId).toBe(adeleId);

  // 4. A request naming the non-active user by login hint gets THAT user's token, from the cache.
  const beforeHint = await emulator.lastSeq();
  const byHint = await rawBridgeCall(app, { method: "GetToken", clientId: emulator.clientId, loginHint: ALEX });
  expect(byHint === "timeout" ? "timeout" : byHint.success, JSON.stringify(byHint)).toBe(true);
  if (byHint !== "timeout") {
    expect(byHint.account?.username).toBe(ALEX);
    expect(tokenUser(byHint.token!.access_token)).toBe(ALEX);
  }
  expect(await emulator.requests({ since: beforeHint, endpoint: "authorize" })).toEqual([]);
  // msal-browser names the account by its homeAccountId (platformBrokerId on the wire): naming the
  // non-active Alex so gets Alex's token and account, again with no sign-in (no authorize request).
  const alexId = await item(popup, ALEX).getAttribute("data-home-account-id");
  expect(alexId).toBeTruthy();
  expect(alexId).not.toBe(adeleId);
  const beforeId = await emulator.lastSeq();
  const byId = await rawBridgeCall(app, { method: "GetToken", clientId: emulator.clientId, platformBrokerId: alexId! });
  if (byId === "timeout" || !byId.success) throw new Error(`GetToken by platformBrokerId failed: ${byId === "timeout" ? "timeout" : JSON.stringify(byId.error)}`);
  expect(byId.account).toMatchObject({ username: ALEX, homeAccountId: alexId });
  expect(tokenUser(byId.token!.access_token)).toBe(ALEX);
  expect(await emulator.requests({ since: beforeId, endpoint: "authorize" })).toEqual([]);
  // …and naming nobody still means the active account.
  const plain = await rawBridgeCall(app, { method: "GetToken", clientId: emulator.clientId });
  if (plain === "timeout" || !plain.success) throw new Error(`plain GetToken failed: ${JSON.stringify(plain)}`);
  expect(plain.account?.username).toBe(ADELE);

  // 5. Sign the active one (Adele) out: Alex remains and becomes active; focus goes to the list heading.
  await popup.getByTestId("sign-out").click();
  await expect(popup.getByTestId("account-item")).toHaveCount(1);
  await expectActive(popup, ALEX);
  await expect.poll(() => popup.evaluate(() => document.activeElement?.id)).toBe("account-list-heading");
  await expect(popup.getByTestId("account-status")).toContainText("signed out");
  const afterSignOut = await rawBridgeCall(app, { method: "GetToken", clientId: emulator.clientId });
  if (afterSignOut === "timeout" || !afterSignOut.success) throw new Error(`GetToken after sign-out failed: ${JSON.stringify(afterSignOut)}`);
  expect(afterSignOut.account?.username).toBe(ALEX);

  // 6. Signing the last one out leaves no account: the Sign in button is back.
  await popup.getByTestId("sign-out").click();
  await expect(popup.getByTestId("account-name")).toHaveText("Not signed in");
  await expect(popup.getByTestId("sign-in")).toBeVisible();
  expect(await focused(popup)).not.toBe("body");
  await app.close();
  await popup.close();
});

test("a long account name wraps inside the popup instead of widening it", async () => {
  const popup = await openExtensionPage(browser.context, "popup.html");
  await popup.setViewportSize({ width: 420, height: 600 });
  await Promise.all([popup.getByTestId("sign-in").click(), browser.completeSignIn(ADELE)]);
  await expect(popup.getByTestId("account-item")).toHaveCount(1);
  // Stretch the rendered name as a very long display name would be; the item must stay inside the page.
  await popup.evaluate(() => {
    const name = document.querySelector<HTMLElement>('[data-testid="account-item"] .account-display')!;
    name.firstChild!.textContent = "A".repeat(40) + "-" + "verylongdisplaynamewithoutspaces".repeat(4);
  });
  const widths = await popup.evaluate(() => ({
    page: document.documentElement.scrollWidth,
    viewport: document.documentElement.clientWidth,
    title: document.querySelector<HTMLElement>('[data-testid="account-item"] .account-display')!.title,
  }));
  expect(widths.page).toBeLessThanOrEqual(widths.viewport);
  expect(widths.title).not.toBe("");
  await popup.getByTestId("sign-out").click();
  await expect(popup.getByTestId("sign-in")).toBeVisible();
  await popup.close();
});

test("a new client ID signs out the accounts of the old one, and the account list shows it", async () => {
  const popup = await openExtensionPage(browser.context, "popup.html");
  await Promise.all([popup.getByTestId("sign-in").click(), browser.completeSignIn(ADELE)]);
  await expect(popup.getByTestId("account-item")).toHaveCount(1);
  const other = "0f0e0d0c-0b0a-4998-8776-655443322110";
  expect(other).not.toBe(emulator.clientId);
  const saved = await browser.send<{ signedOut: number }>({ kind: "setConfig", config: { authority: emulator.authority, clientId: other, defaultScopes: ["User.Read"] } });
  expect(saved.signedOut).toBe(1);
  await expect(popup.getByTestId("account-name")).toHaveText("Not signed in");
  await expect(popup.getByTestId("account-list")).toHaveCount(0);
  expect((await browser.send<{ accounts: unknown[] }>({ kind: "getStatus" })).accounts).toEqual([]);
  // Back to the registration the other tests use; nothing is signed in, so nothing more to say.
  await browser.configure([fixture.origin]);
  await popup.close();
});
