// The Graph SDKs (graph-client 3, Kiota's msgraph-sdk) over resilient-token-broker/graph, with the
// shell getting its tokens from the extension's broker (NAA bridge), against the emulator.
import { expect, test, type Page } from "@playwright/test";
import { ExtensionBrowser } from "../support/extension-browser.js";
import { EmulatorHandle } from "../support/extension-emulator.js";
import { fixtureCall, graphFixtureReady, startGraphSite, type GraphSite } from "../support/graph-stack.js";
import { graphClientReadsMeAndWaitsOut429, kiotaAnswersRevocationOnce, noTokenForOtherHosts, overageGroupsResolveOnce, type GraphCell } from "./graph-scenarios.js";

let emulator: EmulatorHandle;
let site: GraphSite;
let cell: GraphCell;
const browsers: ExtensionBrowser[] = [];

test.beforeAll(async () => {
  emulator = await EmulatorHandle.start();
  site = await startGraphSite(emulator, true);
  cell = { control: emulator, other: site.other, signedInPage, signInAgain };
});

test.afterAll(async () => {
  await site?.close();
  await emulator?.close();
});

test.beforeEach(() => emulator.reset());
test.afterEach(async () => {
  for (const browser of browsers.splice(0)) await browser.close();
});

/**
 * A fresh browser profile with the extension (its broker holds the account, so one profile per
 * user), the fixture origin granted, the page in extension mode, signed in through the broker's window.
 */
async function signedInPage(username: string): Promise<Page> {
  const browser = await new ExtensionBrowser(emulator).launch();
  browsers.push(browser);
  await browser.configure([site.fixture.origin]);
  await browser.waitForBridgeRegistration();
  const page = await browser.context.newPage();
  await page.goto(site.url);
  await graphFixtureReady(page);
  await expect.poll(() => fixtureCall(page, "mode")).toBe("extension");
  const [signedIn] = await Promise.all([fixtureCall(page, "signIn"), browser.completeSignIn(username)]);
  expect(signedIn).toEqual({ ok: true });
  return page;
}

/** The page's sign-in with claims through the broker's window, filled in (its profile's browser is the last one launched). */
async function signInAgain(page: Page, username: string, claims: string): Promise<void> {
  const [signedIn] = await Promise.all([fixtureCall(page, "signIn", claims), browsers.at(-1)!.completeSignIn(username)]);
  expect(signedIn).toEqual({ ok: true });
}

test("through the extension: graph-client reads /me; a 429 on /me is retried by its RetryHandler after Retry-After, not before", async () => {
  console.info(await graphClientReadsMeAndWaitsOut429(cell));
});

test("through the extension: Kiota after a CAE revocation: one claims re-acquisition, then interaction_required carrying the claims; signing in with them recovers", async () => {
  console.info(await kiotaAnswersRevocationOnce(cell));
});

test("through the extension: alex's groups come from one getMemberObjects call per session; adele's from the token", async () => {
  console.info(await overageGroupsResolveOnce(cell));
});

test("through the extension: no token for a host outside the allow-list, from either SDK", async () => {
  console.info(await noTokenForOtherHosts(cell));
});
