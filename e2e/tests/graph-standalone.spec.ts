// The Graph SDKs (graph-client 3, Kiota's msgraph-sdk) over resilient-token-broker/graph, with the
// shell running MSAL in the page, against the emulator's Graph routes.
import { expect, test, type Browser, type Page } from "@playwright/test";
import { launchPlain } from "../support/chromium.js";
import { startTestEmulator, type TestEmulator } from "../support/emulator.js";
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
  cell = { control: emulator.control, other: site.other, signedInPage };
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
  const popupOpened = page.waitForEvent("popup");
  const signedIn = fixtureCall(page, "signIn");
  const popup = await popupOpened;
  await popup.locator("input[name=username]").fill(username);
  await popup.locator("input[name=password]").fill("Passw0rd!");
  await popup.locator("button[type=submit]").click();
  expect(await signedIn).toEqual({ ok: true });
  return page;
}

test("graph-client reads /me with our provider; a 429 on /me is retried by its RetryHandler after Retry-After, not before", async () => {
  const { first, throttled } = await graphClientReadsMeAndWaitsOut429(cell);
  console.info(`graph-client /me: ${first.length} call(s); after a 429: ${throttled.map((e) => e.status).join(", ")}, ${throttled[1]!.time - throttled[0]!.time} ms apart`);
});

test("Kiota after a CAE revocation: one claims re-acquisition, then interaction_required carrying the claims", async () => {
  const entries = await kiotaAnswersRevocationOnce(cell);
  console.info(`Kiota after revoke: ${entries.map((e) => `${e.endpoint}${e.grantType ? `/${e.grantType}` : ""}${e.prompt ? `/prompt=${e.prompt}` : ""}:${e.status}`).join(", ")}`);
});

test("groups overage: alex's groups come from one getMemberObjects call per session; adele's from the token, with none", async () => {
  const { overage, fits } = await overageGroupsResolveOnce(cell);
  console.info(`overage: ${overage.length} getMemberObjects call(s) for alex; ${fits.filter((e) => e.endpoint === "member_objects").length} for adele`);
});

test("no token for a host outside the allow-list, from either SDK", async () => {
  const received = await noTokenForOtherHosts(cell);
  console.info(`other host: ${received.length} request(s), ${received.filter((r) => r.headers.authorization).length} with Authorization`);
});
