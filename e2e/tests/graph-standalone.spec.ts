// The Graph SDKs (graph-client 3, Kiota's msgraph-sdk) over resilient-token-broker/graph, with the
// shell running MSAL in the page, against the emulator's Graph routes.
import { expect, test, type Browser, type Page } from "@playwright/test";
import { launchPlain } from "../support/chromium.js";
import { fillLogin } from "../support/extension-browser.js";
import { startTestEmulator, type TestEmulator } from "../kit/emulator/control-client.js";
import { fixtureCall, graphFixtureReady, startGraphSite, type GraphSite } from "../support/graph-stack.js";
import { graphClientReadsMeAndWaitsOut429, kiotaAnswersRevocationOnce, noTokenForOtherHosts, overageGroupsResolveOnce, type GraphCell } from "./graph-scenarios.js";

let emulator: TestEmulator;
let site: GraphSite;
let browser: Browser;
let cell: GraphCell;

test.beforeAll(async () => {
  emulator = await startTestEmulator();
  site = await startGraphSite(emulator, false);
  browser = await launchPlain();
  cell = { control: emulator.control, other: site.other, signedInPage, signInAgain };
});

test.afterAll(async () => {
  await browser?.close();
  await site?.close();
  await emulator?.close();
});

test.beforeEach(() => emulator.control.reset());

/** A fresh context, the fixture page, and MSAL's sign-in popup filled in. */
async function signedInPage(username: string): Promise<Page> {
  const context = await browser.newContext({ ignoreHTTPSErrors: true });
  const page = await context.newPage();
  await page.goto(site.url);
  await graphFixtureReady(page);
  expect(await fixtureCall(page, "mode")).toBe("standalone");
  await signInAgain(page, username);
  return page;
}

/** The page's sign-in (with claims, if given) through MSAL's popup, filled in. */
async function signInAgain(page: Page, username: string, claims?: string): Promise<void> {
  const popupOpened = page.waitForEvent("popup");
  const signedIn = claims === undefined ? fixtureCall(page, "signIn") : fixtureCall(page, "signIn", claims);
  await fillLogin(await popupOpened, username);
  expect(await signedIn).toEqual({ ok: true });
}

test("graph-client reads /me with our provider; a 429 on /me is retried by its RetryHandler after Retry-After, not before", async () => {
  console.info(await graphClientReadsMeAndWaitsOut429(cell));
});

test("Kiota after a CAE revocation: one claims re-acquisition, then interaction_required carrying the claims; signing in with them recovers", async () => {
  console.info(await kiotaAnswersRevocationOnce(cell));
});

test("groups overage: alex's groups come from one getMemberObjects call per session; adele's from the token, with none", async () => {
  console.info(await overageGroupsResolveOnce(cell));
});

test("no token for a host outside the allow-list, from either SDK", async () => {
  console.info(await noTokenForOtherHosts(cell));
});
