/**
 * The options page as a user meets it (issue 10, items 2, 3, 5, 7), opened as the extension page it
 * is in real Chromium: every bad input is refused next to its field (aria-invalid, a sentence), the
 * form's status region says so and focus moves to the field, and nothing is stored — read back
 * through the worker; grants show and enforce their client IDs and
 * scopes (the emulator's request log shows that a refused request never reached it); "Check
 * registration" turns the emulator's real error pages and faults into the change to make; typing
 * during a slow first load is kept; axe finds no serious or critical violation, errors shown or not.
 */
import { expect, test, type Locator, type Page } from "@playwright/test";
import { seriousAxeViolations } from "../support/axe.js";
import type { ConfigView, Grant } from "../../extension/protocol/views.js";
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
  await browser.configure([]);
});

test.afterAll(async () => {
  await browser?.close();
  await site?.close();
  await emulator?.close();
});

test.beforeEach(async () => {
  await emulator.clearFaults();
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

/** The refusal shown for a field: aria-invalid, described by the sentence that is visible right under it. */
async function refusalOf(page: Page, testId: string, scope: Page | Locator = page): Promise<string> {
  const input = scope.getByTestId(testId).first();
  await expect(input).toHaveAttribute("aria-invalid", "true");
  const describedBy = (await input.getAttribute("aria-describedby")) ?? "";
  const errorId = describedBy.split(" ").find((id) => id.endsWith("-error"));
  expect(errorId, `${testId} is described by its error`).toBeTruthy();
  return (await page.locator(`[id="${errorId}"]`).textContent()) ?? "";
}

/** aria-describedby ids that name no element (a screen reader then reads nothing, or a stale sentence). */
function danglingDescriptions(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll("[aria-describedby]")].flatMap((el) => (el.getAttribute("aria-describedby") ?? "").split(/\s+/).filter((id) => id && !document.getElementById(id))),
  );
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

const stored = () => browser.send<ConfigView>({ kind: "getConfig" });

test("each bad setting from the issue is refused next to its field, and nothing is stored", async () => {
  const page = await openOptions();
  const before = await stored();
  const cases: Array<[field: string, value: string, sentence: RegExp]> = [
    ["config-authority", "https://login.microsoftonline.com", /^Add your tenant after the host: https:\/\/login\.microsoftonline\.com\/<tenant/],
    ["config-authority", "https://example.com/whatever?x=1#frag", /^Remove the part from “\?” or “#” on/],
    ["config-authority", "http://login.microsoftonline.com/common", /must start with https:\/\//],
    ["config-client-id", "my-app", /^“my-app” is not a client ID\. Copy the Application \(client\) ID/],
    ["config-scopes", "!!! ??? <script>", /^“!!!” is not a scope\./],
  ];
  for (const [field, value, sentence] of cases) {
    await page.reload();
    await expect(page.getByTestId("config-authority")).toHaveValue(before.authority);
    await page.getByTestId(field).fill(value);
    await page.getByTestId("config-save").click();
    await expect(page.getByTestId("config-message")).toHaveText("Not saved: correct the fields marked below.");
    expect(await refusalOf(page, field)).toMatch(sentence);
    await expect(page.getByTestId(field)).toBeFocused(); // Keyboard users land on what to correct.
    expect(await stored()).toEqual(before);
  }
  await expect(page.getByTestId("config-message")).toHaveAttribute("role", "status");
  expect(await seriousAxeViolations(page)).toEqual([]); // With an error shown.

  // The worker refuses the same things when a message skips the page (as a script or a bad policy would).
  const direct = await page.evaluate(
    (authority) => chrome.runtime.sendMessage({ kind: "setConfig", config: { authority, clientId: "my-app", defaultScopes: ["<script>"] } }),
    "https://login.microsoftonline.com",
  );
  expect(direct).toMatchObject({ ok: false, error: { code: "config_error", fields: { authority: expect.stringMatching(/tenant/), clientId: expect.stringMatching(/not a client ID/), defaultScopes: expect.stringMatching(/not a scope/) } } });
  expect(await stored()).toEqual(before);

  // An authority pasted with /v2.0 is saved without it, and the page says so.
  await page.reload();
  await expect(page.getByTestId("config-authority")).toHaveValue(before.authority);
  await page.getByTestId("config-authority").fill(`${emulator.authority}/v2.0`);
  await page.getByTestId("config-save").click();
  await expect(page.getByTestId("config-message")).toHaveText("Saved.");
  await expect(page.getByTestId("config-authority-note")).toHaveText(`Saved as ${emulator.authority}: the broker adds “/v2.0” itself.`);
  await expect(page.getByTestId("config-authority")).toHaveValue(emulator.authority);
  expect((await stored()).authority).toBe(emulator.authority);
  expect(await seriousAxeViolations(page)).toEqual([]);
  await page.close();
});

test("first load: typing before the stored configuration arrives is kept; the page says it is loading", async () => {
  // The worker's answer is held back (as chrome.storage.managed can take seconds after a browser start).
  await browser.context.addInitScript(() => {
    if (!location.href.endsWith("/options.html?slow")) return;
    const send = chrome.runtime.sendMessage.bind(chrome.runtime) as (m: unknown) => Promise<unknown>;
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => (release = resolve));
    (window as unknown as { releaseConfig: () => void }).releaseConfig = release;
    (chrome.runtime as unknown as { sendMessage: (m: unknown) => Promise<unknown> }).sendMessage = async (m) => {
      if ((m as { kind?: string }).kind === "getConfig") await released;
      return send(m);
    };
  });
  const page = await browser.context.newPage();
  await page.goto(`${browser.pageUrl("options.html")}?slow`);
  await expect(page.getByTestId("config-loading")).toHaveText("Loading the saved configuration…");
  await expect(page.getByTestId("config-save")).toBeDisabled();
  await page.getByTestId("config-client-id").fill(OTHER_CLIENT_ID);
  await page.evaluate(() => (window as unknown as { releaseConfig: () => void }).releaseConfig());
  await expect(page.getByTestId("config-loading")).toHaveCount(0);
  await expect(page.getByTestId("config-authority")).toHaveValue(emulator.authority); // Filled from storage ...
  await expect(page.getByTestId("config-client-id")).toHaveValue(OTHER_CLIENT_ID); // ... what was typed is not overwritten.
  await expect(page.getByTestId("config-save")).toBeEnabled();
  // Before saving, the page says what the new client ID will do.
  await expect(page.getByTestId("config-change-notice")).toContainText("client ID");
  await page.close();
});

test("grants: a path origin offers the origin; client IDs and scopes are edited per site and enforced", async () => {
  const page = await openOptions();
  // A URL with a path is refused with a sentence that offers its origin (never Chrome's raw pattern error).
  await page.getByTestId("grant-origin-input").fill(`${site.origin}/naa-app/index.html?x=1`);
  expect(await danglingDescriptions(page), "typed, not yet refused").toEqual([]);
  await page.getByTestId("grant-add").click();
  expect(await refusalOf(page, "grant-origin-input")).toBe(`A site is allowed by its origin, without a path. Did you mean ${site.origin}?`);
  await expect(page.getByTestId("grant-add")).toHaveAttribute("aria-describedby", "grant-origin-error");
  expect(await danglingDescriptions(page), "refused").toEqual([]);
  await page.getByTestId("grant-origin-input").fill("null");
  await page.getByTestId("grant-add").click();
  expect(await refusalOf(page, "grant-origin-input")).toMatch(/^“null” is not a web address/);
  await expect(page.getByText(/Invalid value for origin pattern/)).toHaveCount(0);
  expect(await browser.send<Grant[]>({ kind: "listGrants" })).toEqual([]);
  expect(await seriousAxeViolations(page)).toEqual([]);

  await page.getByTestId("grant-origin-input").fill(site.origin);
  await page.getByTestId("grant-add").click();
  await expect(page.getByTestId("grant-message")).toHaveText(`Allowed ${site.origin}.`);
  const row = page.locator(`li[data-origin="${site.origin}"]`);
  await expect(row.getByTestId("grant-client-ids")).toHaveValue(emulator.clientId);
  await expect(row.getByTestId("grant-scopes")).toHaveValue("");
  await expect(row.getByTestId("grant-remove")).toHaveAccessibleName(`Remove ${site.origin}`);

  // A bad client ID is refused next to the field; nothing changes. The panel's status region says so
  // (a screen reader hears it) and focus leaves Save for the refused field.
  await row.getByTestId("grant-client-ids").fill("my-app");
  await row.getByTestId("grant-save").click();
  expect(await refusalOf(page, "grant-client-ids", row)).toMatch(/^“my-app” is not a client ID/);
  await expect(page.getByTestId("grant-message")).toHaveText(new RegExp(`^${escapeRegExp(site.origin)} was not saved: “my-app” is not a client ID`));
  await expect(page.getByTestId("grant-message")).toHaveAttribute("role", "status");
  await expect(row.getByTestId("grant-client-ids")).toBeFocused();
  expect((await browser.send<Grant[]>({ kind: "listGrants" }))[0]!.clientIds).toEqual([emulator.clientId]);

  // The site may use another app only; the app's own client ID is refused and never reaches the emulator.
  await row.getByTestId("grant-client-ids").fill(OTHER_CLIENT_ID);
  await row.getByTestId("grant-scopes").fill("User.Read");
  await row.getByTestId("grant-save").click();
  // The add's sentence is still on screen: only the save's own sentence means the save landed.
  await expect(page.getByTestId("grant-message")).toHaveText(`Saved what ${site.origin} may use.`);
  expect(await browser.send<Grant[]>({ kind: "listGrants" })).toMatchObject([{ origin: site.origin, clientIds: [OTHER_CLIENT_ID], scopes: ["User.Read"] }]);

  await browser.waitForBridgeRegistration();
  const app = await browser.openApp(site.appUrl({ authority: emulator.authority, clientId: emulator.clientId }));
  const since = await emulator.lastSeq();
  const refused = await appSilent(app);
  expect(refused).toMatchObject({ ok: false });
  expect(JSON.stringify(refused)).toMatch(new RegExp(`not for the client ID ${emulator.clientId}`));
  expect(await emulator.requests({ since })).toEqual([]);

  // Back to the app's client, but a scope outside the grant is the person's question: denied, the
  // app is refused, again without a request (scope-decision.spec.ts covers every answer).
  await page.bringToFront();
  await row.getByTestId("grant-client-ids").fill(emulator.clientId);
  await row.getByTestId("grant-save").click();
  await expect.poll(async () => (await browser.send<Grant[]>({ kind: "listGrants" }))[0]!.clientIds).toEqual([emulator.clientId]);
  const since2 = await emulator.lastSeq();
  const outside = appSilent(app, { scopes: ["api://demo/Data.Read"] });
  await expect.poll(async () => (await browser.send<Array<{ id: string }>>({ kind: "getScopeQuestions" })).length).toBe(1);
  const [question] = await browser.send<Array<{ id: string }>>({ kind: "getScopeQuestions" });
  expect(await browser.send({ kind: "answerScopeQuestion", id: question!.id, answer: "deny" })).toEqual({ answered: true });
  expect(await outside).toMatchObject({ ok: false });
  expect(await emulator.requests({ since: since2 })).toEqual([]);

  // Remove: the button named after the site; focus lands on the origin field (no site left), not <body>.
  await page.bringToFront();
  await page.getByRole("button", { name: `Remove ${site.origin}` }).click();
  await expect(row).toHaveCount(0);
  await expect(page.getByTestId("grant-origin-input")).toBeFocused();
  await app.close();
  await page.close();
});

test("Check registration: the emulator's answers become the change to make in the Entra admin center", async () => {
  const page = await openOptions();
  const redirectUri = (await stored()).redirectUri;
  await expect(page.getByTestId("redirect-uri")).toHaveText(redirectUri);
  const check = async () => {
    await page.reload();
    await expect(page.getByTestId("config-loading")).toHaveCount(0);
    await page.getByTestId("registration-check").click();
    const result = page.getByTestId("registration-result");
    await expect(result).not.toHaveAttribute("data-outcome", /^(|checking)$/, { timeout: 20_000 });
    return result;
  };

  // Registered, no session: the client ID and the redirect URI were accepted.
  let result = await check();
  await expect(result).toHaveAttribute("data-outcome", "ok");
  await expect(result).toHaveText(`Entra accepted the client ID ${emulator.clientId} and the redirect URI. Sign in once to finish checking consent.`);

  // AADSTS65001 (consent), from an entra_error fault on /authorize.
  await emulator.setFault({ endpoint: "authorize", type: "entra_error", preset: "consent_required", count: 1 });
  result = await check();
  await expect(result).toHaveAttribute("data-outcome", "problem");
  await expect(result).toHaveText(/^Nobody has consented to the app's permissions \(User\.Read\) yet\. In App registrations → your app → API permissions/);

  // AADSTS700016: a client ID the tenant does not know (the emulator's real error page).
  await browser.send({ kind: "setConfig", config: { authority: emulator.authority, clientId: OTHER_CLIENT_ID, defaultScopes: ["User.Read"] } });
  result = await check();
  await expect(result).toHaveText(new RegExp(`^Entra does not know the client ID ${OTHER_CLIENT_ID} in tenant `));

  // AADSTS50011: the app is registered, but not with the extension's redirect URI.
  await emulator.registerClient({ clientId: OTHER_CLIENT_ID, redirectUris: ["https://app.example.test/"], type: "spa", anyLoopbackRedirect: false });
  result = await check();
  await expect(result).toHaveText(`Entra does not accept the redirect URI ${redirectUri}. In the Entra admin center open App registrations → your app → Authentication → Add a platform → Single-page application, and add ${redirectUri} exactly.`);
  expect(await seriousAxeViolations(page)).toEqual([]); // With a problem shown.
  await page.close();
});

test("Check registration with a session: the code is redeemed, so a redirect URI registered as Web (AADSTS9002326) shows", async () => {
  const signingIn = browser.send({ kind: "signIn" });
  await browser.completeSignIn();
  await signingIn;
  const page = await openOptions();
  const redirectUri = (await stored()).redirectUri;
  const check = async () => {
    await page.getByTestId("registration-check").click();
    const result = page.getByTestId("registration-result");
    await expect(result).not.toHaveAttribute("data-outcome", /^(|checking)$/, { timeout: 20_000 });
    return result;
  };
  const since = await emulator.lastSeq();
  await expect(await check()).toHaveText(`The registration looks right: Entra accepted the client ID ${emulator.clientId} and the redirect URI.`);
  // The check ran one silent authorize and one code redemption, nothing else.
  expect((await emulator.requests({ since })).map((r) => `${r.endpoint} ${r.grantType ?? ""}`.trim())).toEqual(["authorize", "token authorization_code"]);

  await emulator.setFault({ endpoint: "token", type: "entra_error", preset: "spa_cross_origin_redemption", count: 1 });
  const result = await check();
  await expect(result).toHaveAttribute("data-outcome", "problem");
  await expect(result).toHaveText(`The redirect URI ${redirectUri} is registered under the “Web” platform. In App registrations → your app → Authentication, remove it under “Web” and add it under “Single-page application”.`);

  // A new client ID: the page says the signed-in account will be signed out, and saving does it.
  await page.reload();
  await expect(page.getByTestId("config-loading")).toHaveCount(0);
  await page.getByTestId("config-client-id").fill(OTHER_CLIENT_ID);
  await expect(page.getByTestId("config-change-notice")).toContainText("Saving signs out 1 account(s): their sign-in belongs to the old client ID.");
  await page.getByTestId("config-save").click();
  await expect(page.getByTestId("config-message")).toHaveText("Saved. 1 account(s) signed out.", { timeout: 20_000 });
  expect((await browser.send<{ accounts: unknown[] }>({ kind: "getStatus" })).accounts).toEqual([]);
  await page.close();
});
