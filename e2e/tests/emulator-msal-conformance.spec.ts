import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test, type BrowserContext, type Page } from "@playwright/test";
import { launchBrowser } from "../support/chromium.js";
import { startTestEmulator, type TestEmulator } from "../kit/emulator/control-client.js";
import { startFixtureServer, type FixtureServer } from "../support/fixture-server.js";
import { isFixtureError, type MsalFixtureError, type MsalFixtureResult } from "../fixtures/msal-standard/fixture-api.js";
import { msalStandardRoutes } from "../fixtures/msal-standard/routes.js";

/**
 * Conformance: an unmodified @azure/msal-browser PublicClientApplication works against the emulator
 * (popup sign-in, cache, refresh token, silent SSO, logout → interaction required).
 */
test.describe.configure({ mode: "serial" });

let emulator: TestEmulator;
let site: FixtureServer;
let context: BrowserContext;
let page: Page;
let userDataDir: string;

test.beforeAll(async () => {
  emulator = await startTestEmulator();
  site = await startFixtureServer({ routes: msalStandardRoutes({ clientId: emulator.clientId, authority: emulator.authority }) });
  userDataDir = mkdtempSync(join(tmpdir(), "msal-conformance-"));
  // ssoSilent runs prompt=none in a hidden cross-site iframe: like any user of MSAL's iframe flows,
  // the browser must let the IdP's session cookie through (Chromium 156 blocks 3P cookies by default).
  context = await launchBrowser({ userDataDir, allowThirdPartyCookies: true });
  page = await context.newPage();
});

test.afterAll(async () => {
  await context?.close();
  await site?.close();
  await emulator?.close();
  if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
});

function ok(value: MsalFixtureResult | MsalFixtureError): MsalFixtureResult {
  if (isFixtureError(value)) throw new Error(`MSAL failed: ${value.name} ${value.errorCode}: ${value.message}`);
  return value;
}

const SCOPES = ["User.Read"];

test("unmodified MSAL: loginPopup → cache → refresh token → ssoSilent → logout → interaction required", async () => {
  await page.goto(`${site.origin}/`);
  await page.waitForFunction(() => window.msalFixture !== undefined || window.msalFixtureError !== undefined);
  expect(await page.evaluate(() => window.msalFixtureError)).toBeUndefined();

  // 1. loginPopup: Playwright fills the emulator's login form in the popup.
  let seq = await emulator.control.lastSeq();
  const popupOpened = context.waitForEvent("page");
  const login = page.evaluate((scopes) => window.msalFixture!.loginPopup(scopes), SCOPES);
  const popup = await popupOpened;
  await popup.waitForSelector("input[name=username]");
  await popup.fill("input[name=username]", "adele@contoso.test");
  await popup.fill("input[name=password]", "Passw0rd!");
  await popup.click("button[type=submit]");
  const signedIn = ok(await login);
  expect(signedIn.username).toBe("adele@contoso.test");
  expect(signedIn.roles).toEqual(["Reader", "Admin"]);
  const loginCalls = await emulator.control.requests({ since: seq, endpoint: "token", method: "POST" });
  expect(loginCalls.map((e) => [e.grantType, e.status])).toEqual([["authorization_code", 200]]);
  expect(loginCalls[0]!.origin).toBe(site.origin);

  // 2. acquireTokenSilent is served from MSAL's cache: no request reaches the IdP.
  seq = await emulator.control.lastSeq();
  const cached = ok(await page.evaluate((scopes) => window.msalFixture!.acquireTokenSilent(scopes, false), SCOPES));
  expect(cached.fromCache).toBe(true);
  expect(cached.accessTokenFingerprint).toBe(signedIn.accessTokenFingerprint);
  expect(await emulator.control.requests({ since: seq })).toEqual([]);

  // 3. forceRefresh redeems the refresh token: exactly one refresh_token grant.
  seq = await emulator.control.lastSeq();
  const refreshed = ok(await page.evaluate((scopes) => window.msalFixture!.acquireTokenSilent(scopes, true), SCOPES));
  expect(refreshed.fromCache).toBe(false);
  expect(refreshed.accessTokenFingerprint).not.toBe(signedIn.accessTokenFingerprint);
  const refreshCalls = await emulator.control.requests({ since: seq, method: "POST" });
  expect(refreshCalls.map((e) => [e.endpoint, e.grantType, e.status])).toEqual([["token", "refresh_token", 200]]);

  // 4. ssoSilent uses the live session cookie in a hidden iframe (prompt=none).
  seq = await emulator.control.lastSeq();
  const sso = ok(await page.evaluate((scopes) => window.msalFixture!.ssoSilent(scopes, "adele@contoso.test"), SCOPES));
  expect(sso.username).toBe("adele@contoso.test");
  const ssoCalls = await emulator.control.requests({ since: seq });
  expect(ssoCalls.filter((e) => e.endpoint === "authorize").map((e) => [e.method, e.status])).toEqual([["GET", 302]]);
  expect(ssoCalls.filter((e) => e.endpoint === "token" && e.method === "POST").map((e) => e.grantType)).toEqual(["authorization_code"]);

  // 5. logoutPopup ends the session; ssoSilent then fails with MSAL's InteractionRequiredAuthError.
  seq = await emulator.control.lastSeq();
  const logout = await page.evaluate(() => window.msalFixture!.logoutPopup());
  expect(logout.ok).toBe(true);
  expect((await emulator.control.requests({ since: seq, endpoint: "logout" })).map((e) => e.status)).toEqual([302]);
  const afterLogout = await page.evaluate((scopes) => window.msalFixture!.ssoSilent(scopes, "adele@contoso.test"), SCOPES);
  expect(isFixtureError(afterLogout)).toBe(true);
  const failure = afterLogout as MsalFixtureError;
  expect(failure.isInteractionRequired).toBe(true);
  expect(failure.name).toBe("InteractionRequiredAuthError");
  expect(failure.errorCode).toBe("login_required");
});
