/**
 * The acceptance test of the bridge: an UNMODIFIED msal-browser nestable app on a granted origin gets
 * its tokens from the extension (scenario 1), survives a browser restart (3), and handles a CAE claims
 * challenge (7). The emulator's request log is the ground truth for every IdP call.
 */
import { expect, test, type Page } from "@playwright/test";
import { EmulatorHandle } from "../support/extension-emulator.js";
import { ExtensionBrowser, USERNAME } from "../support/extension-browser.js";
import { startFixtureServer, type FixtureServer } from "../support/extension-fixture-server.js";
import { appPopup, appSilent } from "../support/extension-page-calls.js";

test.describe.configure({ mode: "serial" });

let emulator: EmulatorHandle;
let fixture: FixtureServer;
let browser: ExtensionBrowser;
let appUrl: string;

test.beforeAll(async () => {
  emulator = await EmulatorHandle.start();
  fixture = await startFixtureServer();
  browser = await new ExtensionBrowser(emulator).launch();
  await browser.configure([fixture.origin]);
  appUrl = fixture.appUrl({ authority: emulator.authority, clientId: emulator.clientId });
});

test.afterAll(async () => {
  await browser?.close();
  await fixture?.close();
  await emulator?.close();
});

test("1: popup signs in once through the bridge; a new tab's silent call needs no IdP request", async () => {
  const page = await browser.openApp(appUrl);
  expect(await page.evaluate(() => (window as unknown as { naaApp: { mode(): Promise<string> } }).naaApp.mode())).toBe("nested");
  const windows: string[] = [];
  const countWindows = (p: Page) => void p.waitForLoadState().then(() => p.url().startsWith(emulator.url) && windows.push(p.url()));
  browser.context.on("page", countWindows);
  const [result] = await Promise.all([appPopup(page), browser.completeSignIn()]);
  expect(result.ok, JSON.stringify(result)).toBe(true);
  if (!result.ok) return;
  expect(result.username).toBe(USERNAME);
  expect(windows.length).toBe(1); // exactly one sign-in window
  expect((await emulator.requests({ endpoint: "token", grantType: "authorization_code" })).length).toBe(1);

  const before = await emulator.lastSeq();
  const second = await browser.openApp(appUrl);
  const silent = await appSilent(second);
  expect(silent.ok, JSON.stringify(silent)).toBe(true);
  if (silent.ok) expect(silent.accessToken).toBe(result.accessToken);
  expect(await emulator.requests({ since: before })).toEqual([]);
  expect(windows.length).toBe(1);
  browser.context.off("page", countWindows);
  await page.close();
  await second.close();
});

function jwtClaims(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split(".")[1]!, "base64url").toString("utf8")) as Record<string, unknown>;
}

function challengeClaims(wwwAuthenticate: string): string {
  const encoded = /claims="([^"]+)"/.exec(wwwAuthenticate)?.[1];
  if (!encoded) throw new Error(`no claims in ${wwwAuthenticate}`);
  return Buffer.from(encoded, "base64").toString("utf8");
}

test("7: CAE — cp1 token; after revoke the claims challenge bypasses the cache; popup recovers", async () => {
  const page = await browser.openApp(appUrl);
  const first = await appSilent(page);
  expect(first.ok, JSON.stringify(first)).toBe(true);
  if (!first.ok) return;
  // The broker declares the cp1 capability, so the IdP issued a CAE token (oracle-side decoding only).
  expect(jwtClaims(first.accessToken).xms_cc).toEqual(["cp1"]);
  expect((await emulator.callMe(first.accessToken)).status).toBe(200);

  await emulator.revoke(USERNAME);
  const me = await emulator.callMe(first.accessToken);
  expect(me.status).toBe(401);
  expect(me.wwwAuthenticate).toContain('error="insufficient_claims"');
  const claims = challengeClaims(me.wwwAuthenticate!);

  const before = await emulator.lastSeq();
  const challenged = await appSilent(page, { claims });
  // The cache was bypassed: the broker tried the (revoked) refresh token, then prompt=none.
  const refreshes = await emulator.requests({ since: before, endpoint: "token", grantType: "refresh_token" });
  expect(refreshes.length).toBe(1);
  expect(refreshes[0]!.error).toBe("invalid_grant");
  expect(challenged.ok).toBe(false);
  if (!challenged.ok) expect(challenged.name).toBe("InteractionRequiredAuthError");

  const [recovered] = await Promise.all([appPopup(page, { claims }), browser.completeSignIn()]);
  expect(recovered.ok, JSON.stringify(recovered)).toBe(true);
  if (recovered.ok) {
    expect(recovered.accessToken).not.toBe(first.accessToken);
    expect((await emulator.callMe(recovered.accessToken)).status).toBe(200);
  }
  await page.close();
});

test("3: after a browser restart (same profile) a token comes with no sign-in window and ≤ 1 token request", async () => {
  await browser.restart();
  const signInWindows: string[] = [];
  browser.context.on("page", (p) => void p.waitForLoadState().then(() => p.url().startsWith(emulator.url) && signInWindows.push(p.url())));
  await browser.waitForBridgeRegistration();
  const before = await emulator.lastSeq();
  const page = await browser.openApp(appUrl);
  const result = await appSilent(page);
  expect(result.ok, JSON.stringify(result)).toBe(true);
  const idpCalls = await emulator.requests({ since: before });
  expect(idpCalls.filter((r) => r.endpoint === "authorize")).toEqual([]);
  expect(idpCalls.filter((r) => r.endpoint === "token" && r.method === "POST").length).toBeLessThanOrEqual(1);
  expect(signInWindows).toEqual([]);
});
