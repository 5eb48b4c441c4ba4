/**
 * The broker under concurrency and a misbehaving IdP, in real Chromium with the built extension:
 * 10 tabs on 2 origins share one refresh (scenario 2), a killed worker — idle or mid-refresh — recovers
 * without a prompt and never trips reuse detection (4; an in-doubt refresh token is resent once), and
 * 429 Retry-After reaches pages as an immediate TRANSIENT_ERROR with nothing sent inside the window (5).
 * The emulator's request log is the truth.
 */
import { expect, test, type Page } from "@playwright/test";
import { EmulatorHandle } from "../support/extension-emulator.js";
import { ExtensionBrowser } from "../support/extension-browser.js";
import { startFixtureServer, type FixtureServer } from "../support/extension-fixture-server.js";
import { appPopup, appSilent, rawBridgeCall } from "../support/extension-page-calls.js";
import { expireAccessToken } from "../support/token-expiry.js";
import { throttledTokenCell } from "../support/broker-cells.js";

test.describe.configure({ mode: "serial" });

let emulator: EmulatorHandle;
let origins: FixtureServer[];
let browser: ExtensionBrowser;
let tab: Page;
const SHORT_LIFETIME_S = 3;

const appUrl = (fixture: FixtureServer) => fixture.appUrl({ authority: emulator.authority, clientId: emulator.clientId });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test.beforeAll(async () => {
  emulator = await EmulatorHandle.start();
  origins = [await startFixtureServer(), await startFixtureServer()];
  browser = await new ExtensionBrowser(emulator).launch();
  await browser.configure(origins.map((o) => o.origin));
  tab = await browser.openApp(appUrl(origins[0]!));
  const [signedIn] = await Promise.all([appPopup(tab), browser.completeSignIn()]);
  expect(signedIn.ok, JSON.stringify(signedIn)).toBe(true);
});

test.afterAll(async () => {
  await browser?.close();
  for (const o of origins ?? []) await o.close();
  await emulator?.close();
});

test("2: 10 tabs on 2 granted origins with the access token expired → exactly 1 refresh_token grant", async () => {
  await expireAccessToken({ emulator, browser }, tab, SHORT_LIFETIME_S);
  const tabs = await Promise.all(Array.from({ length: 10 }, (_, i) => browser.openApp(appUrl(origins[i % 2]!))));
  const before = await emulator.lastSeq();
  const results = await Promise.all(tabs.map((t) => appSilent(t)));
  for (const r of results) expect(r.ok, JSON.stringify(r)).toBe(true);
  const tokens = new Set(results.map((r) => (r.ok ? r.accessToken : "")));
  expect(tokens.size).toBe(1);
  expect((await emulator.tokenPosts(before)).map((r) => r.grantType)).toEqual(["refresh_token"]);
  await Promise.all(tabs.map((t) => t.close()));
});

test("4a: worker killed while idle → the next request succeeds from the encrypted cache", async () => {
  await browser.stopWorker();
  const before = await emulator.lastSeq();
  const page = await browser.openApp(appUrl(origins[1]!));
  const result = await appSilent(page);
  expect(result.ok, JSON.stringify(result)).toBe(true);
  expect(await emulator.tokenPosts(before)).toEqual([]);
  await page.close();
});

test("4b: worker killed mid-refresh → next request succeeds by resending the refresh token once, no reuse trip", async () => {
  await emulator.setFault({ endpoint: "token", type: "latency", latencyMs: 2500, count: 1 });
  const before = await emulator.lastSeq();
  const inFlight = rawBridgeCall(tab, { method: "GetToken", clientId: emulator.clientId, forceRefresh: true });
  // Kill the worker while its refresh request is at the IdP (held there by the latency fault): the
  // worker's own event log says when the request left.
  const started = Date.now();
  const requestLeft = async () =>
    (await browser.send<Array<{ at: number; type: string }>>({ kind: "getEvents", limit: 20 })).some((e) => e.type === "refresh.redeem" && e.at >= started);
  for (let i = 0; i < 100 && !(await requestLeft()); i++) await sleep(50);
  await sleep(300);
  await browser.stopWorker();
  const reply = await inFlight;
  expect(reply !== "timeout" && reply.success, JSON.stringify(reply)).toBe(true);
  await sleep(2500); // let the interrupted request finish at the IdP before reading the log
  const posts = await emulator.tokenPosts(before);
  expect(posts.filter((p) => p.error === "invalid_grant")).toEqual([]);
  // The emulator logs a request when it answers; the interrupted one may not appear at all. The new
  // worker resent the in-doubt refresh token once (Entra keeps an earlier RT valid): at most the
  // interrupted request and that one resend, and no prompt=none code redemption was needed.
  expect(posts.filter((p) => p.grantType === "refresh_token").length).toBeGreaterThanOrEqual(1);
  expect(posts.filter((p) => p.grantType === "refresh_token").length).toBeLessThanOrEqual(2);
  expect(posts.filter((p) => p.grantType === "authorization_code").length).toBe(0);
  // The token family is alive: a further refresh works.
  const after = await rawBridgeCall(tab, { method: "GetToken", clientId: emulator.clientId, forceRefresh: true });
  expect(after !== "timeout" && after.success, JSON.stringify(after)).toBe(true);
});

test("5: 429 Retry-After while the AT is expired → immediate TRANSIENT_ERROR, nothing sent in the window", async () => {
  await throttledTokenCell({ emulator, browser, appUrl: (i = 0) => appUrl(origins[i]!) }, tab, appUrl(origins[1]!), SHORT_LIFETIME_S);
});
