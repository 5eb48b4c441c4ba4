/**
 * Fault matrix, CAE cells (issue 12): a revocation with three apps open on two origins (two
 * resources), and a claims challenge the refresh token can still answer silently. extension-msal 7
 * covers one app through revoke → challenge → popup; here several apps meet the same challenge at once
 * and the IdP must see one claims-bound request per resource, not one per tab. The emulator's request
 * log and its resource server (/v1.0/me, which issues the CAE challenge) are the oracle.
 */
import { expect, test, type Page } from "@playwright/test";
import { EmulatorHandle } from "../support/extension-emulator.js";
import { ExtensionBrowser, USERNAME, configureBroker } from "../support/extension-browser.js";
import { startFixtureServer, type FixtureServer } from "../support/extension-fixture-server.js";
import { appPopup, appSilent } from "../support/extension-page-calls.js";
import type { AppResult } from "../support/extension-browser.js";

test.describe.configure({ mode: "serial" });

const DATA_READ = "api://demo/Data.Read";
let emulator: EmulatorHandle;
let origins: FixtureServer[];
let browser: ExtensionBrowser;
/** [origin 1 User.Read, origin 2 User.Read, origin 2 Data.Read] */
let apps: Array<{ page: Page; scopes: string[] }>;

const appUrl = (f: FixtureServer) => f.appUrl({ authority: emulator.authority, clientId: emulator.clientId });
const tokenOf = (r: AppResult) => (r.ok ? r.accessToken : "");

function challengeClaims(wwwAuthenticate: string | undefined): string {
  const encoded = /claims="([^"]+)"/.exec(wwwAuthenticate ?? "")?.[1];
  if (!encoded) throw new Error(`no claims in ${wwwAuthenticate}`);
  return Buffer.from(encoded, "base64").toString("utf8");
}

function iat(jwt: string): number {
  return (JSON.parse(Buffer.from(jwt.split(".")[1]!, "base64url").toString("utf8")) as { iat: number }).iat;
}

test.beforeAll(async () => {
  emulator = await EmulatorHandle.start();
  origins = [await startFixtureServer(), await startFixtureServer()];
  browser = await new ExtensionBrowser(emulator).launch();
  await configureBroker(await browser.extensionMessenger(), {
    authority: emulator.authority,
    clientId: emulator.clientId,
    scopes: ["User.Read", DATA_READ],
    grants: origins.map((o) => ({ origin: o.origin, clientIds: [] })),
  });
  apps = [
    { page: await browser.openApp(appUrl(origins[0]!)), scopes: ["User.Read"] },
    { page: await browser.openApp(appUrl(origins[1]!)), scopes: ["User.Read"] },
    { page: await browser.openApp(appUrl(origins[1]!)), scopes: [DATA_READ] },
  ];
  const [signedIn] = await Promise.all([appPopup(apps[0]!.page), browser.completeSignIn()]);
  expect(signedIn.ok, JSON.stringify(signedIn)).toBe(true);
  for (const app of apps) expect((await appSilent(app.page, { scopes: app.scopes })).ok).toBe(true);
});

test.afterAll(async () => {
  await browser?.close();
  for (const o of origins ?? []) await o.close();
  await emulator?.close();
});

test("a claims challenge whose silent refresh succeeds: a new token that satisfies it, no window", async () => {
  const before = await emulator.lastSeq();
  const cached = await appSilent(apps[0]!.page, { scopes: ["User.Read"] });
  expect(cached.ok && cached.fromCache !== undefined, JSON.stringify(cached)).toBe(true);
  // A resource asking for a token issued from now on (as a CAE challenge does), with the RT still good.
  const nbf = Math.floor(Date.now() / 1000) + 1;
  await new Promise((r) => setTimeout(r, 1100));
  const claims = JSON.stringify({ access_token: { nbf: { essential: true, value: String(nbf) } } });
  const [first, second] = await Promise.all([appSilent(apps[0]!.page, { scopes: ["User.Read"], claims }), appSilent(apps[1]!.page, { scopes: ["User.Read"], claims })]);
  expect(first.ok, JSON.stringify(first)).toBe(true);
  expect(second.ok, JSON.stringify(second)).toBe(true);
  expect(tokenOf(first)).not.toBe(tokenOf(cached));
  expect(iat(tokenOf(first))).toBeGreaterThanOrEqual(nbf);
  expect((await emulator.callMe(tokenOf(first))).status).toBe(200);
  // One claims-bound refresh for both tabs, no authorize request at all (no window, no prompt=none).
  expect((await emulator.tokenPosts(before)).map((p) => [p.grantType, p.status])).toEqual([["refresh_token", 200]]);
  expect(await emulator.requests({ since: before, endpoint: "authorize" })).toEqual([]);
});

test("CAE revocation with three apps open on two origins: one sign-in window, each app re-served, one claims-bound request per resource", async () => {
  const old = await Promise.all(apps.map((a) => appSilent(a.page, { scopes: a.scopes })));
  for (const r of old) expect(r.ok, JSON.stringify(r)).toBe(true);
  await emulator.revoke(USERNAME);
  const me = await emulator.callMe(tokenOf(old[0]!));
  expect(me.status).toBe(401);
  const claims = challengeClaims(me.wwwAuthenticate);

  // Every app meets the challenge at the same moment: the revoked refresh token is tried once per
  // resource (not per tab), and each app is told it needs interaction.
  const challenged = await emulator.lastSeq();
  const silent = await Promise.all(apps.map((a) => appSilent(a.page, { scopes: a.scopes, claims })));
  for (const r of silent) {
    expect(r.ok, JSON.stringify(r)).toBe(false);
    if (!r.ok) expect(r.name).toBe("InteractionRequiredAuthError");
  }
  const tried = await emulator.tokenPosts(challenged, "refresh_token");
  expect(tried.length).toBeGreaterThanOrEqual(1);
  expect(tried.length).toBeLessThanOrEqual(2);
  expect(tried.every((t) => t.error === "invalid_grant")).toBe(true);
  expect((await emulator.requests({ since: challenged, endpoint: "authorize", method: "GET" })).filter((r) => r.prompt !== "none")).toEqual([]);

  // One person signs in once; every app asks again with the claims and is served.
  const recovering = await emulator.lastSeq();
  const [signedIn] = await Promise.all([appPopup(apps[0]!.page, { scopes: apps[0]!.scopes, claims }), browser.completeSignIn()]);
  expect(signedIn.ok, JSON.stringify(signedIn)).toBe(true);
  const reserved = await Promise.all(apps.slice(1).map((a) => appSilent(a.page, { scopes: a.scopes, claims })));
  for (const r of reserved) expect(r.ok, JSON.stringify(r)).toBe(true);
  const revokedSecond = iat(tokenOf(signedIn));
  for (const r of [signedIn, ...reserved]) {
    expect(tokenOf(r)).not.toBe(tokenOf(old[0]!));
    expect(iat(tokenOf(r))).toBeGreaterThanOrEqual(revokedSecond - 1);
  }
  for (const r of [signedIn, reserved[0]!]) expect((await emulator.callMe(tokenOf(r))).status).toBe(200);

  const windows = (await emulator.requests({ since: recovering, endpoint: "authorize", method: "GET" })).filter((r) => r.prompt !== "none");
  expect(windows).toHaveLength(1);
  const grants = await emulator.tokenPosts(recovering);
  expect(grants.filter((g) => g.status !== 200)).toEqual([]);
  // User.Read came with the sign-in's code; Data.Read from one refresh — not one per tab.
  expect(grants.filter((g) => g.grantType === "authorization_code")).toHaveLength(1);
  const perResource = (scope: string) => grants.filter((g) => g.grantType === "refresh_token" && (g.scope ?? "").includes(scope)).length;
  expect(perResource("User.Read")).toBe(0);
  expect(perResource("Data.Read")).toBe(1);
});
