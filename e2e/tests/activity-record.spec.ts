/**
 * The activity record (issue 22): every token a granted page received appears in the options page's
 * activity view and in its JSON and CSV export — with origin, scopes and time — and the popup shows
 * each allowed site's last use; nowhere does a token value appear (searched for, with the very token
 * strings the pages received); a Sign in from the popup is on record under the extension. The emulator's request log is the oracle for how each token was
 * obtained: the refresh grant it logged carries the correlation ID of the entry marked "refreshed".
 */
import { readFileSync } from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { EXTENSION_ID } from "../../shared/config/extension-ids.js";
import { USERNAME } from "../support/extension-browser.js";
import { appPopup, rawBridgeCall, type BridgeReply } from "../support/extension-page-calls.js";
import { startSignedIn, stopAll, type ExtensionStack } from "../support/extension-stack.js";

test.describe.configure({ mode: "serial" });

interface Entry {
  at: number;
  caller: string;
  origin: string;
  frameOrigin: string;
  clientId: string;
  scopes: string[];
  username: string;
  source: string;
  correlationId: string;
}

let stack: ExtensionStack & { tab: Page };
let otherTab: Page;
/** Every token string a page was handed: none may show up anywhere in the extension's views. */
const tokens: string[] = [];
let started = 0;
let refreshCorrelationId = "";

async function token(page: Page, request: Parameters<typeof rawBridgeCall>[1]): Promise<BridgeReply> {
  const reply = await rawBridgeCall(page, request);
  if (reply === "timeout" || !reply.success || !reply.token) throw new Error(`no token: ${JSON.stringify(reply)}`);
  tokens.push(reply.token.access_token);
  const idToken = (reply.token as { id_token?: string }).id_token;
  if (idToken) tokens.push(idToken);
  return reply;
}

function expectNoToken(text: string, where: string): void {
  expect(tokens.length).toBeGreaterThan(2);
  for (const value of tokens) {
    expect(value.length, "a real token string").toBeGreaterThan(100);
    expect(text.includes(value), `${where} contains a token the page received`).toBe(false);
    // Not even a recognisable piece of one (a JWT's signature part).
    expect(text.includes(value.split(".")[2]!), `${where} contains a token's signature`).toBe(false);
  }
}

test.beforeAll(async () => {
  started = Date.now();
  stack = await startSignedIn(2, false);
  const { tab, browser, emulator } = stack;
  // Sign in from the first site (a sign-in window), then a cached answer and a forced refresh there.
  const [signedIn] = await Promise.all([appPopup(tab), browser.completeSignIn()]);
  if (!signedIn.ok) throw new Error(JSON.stringify(signedIn));
  tokens.push(signedIn.accessToken);
  await token(tab, { method: "GetToken", clientId: emulator.clientId });
  const since = await emulator.lastSeq();
  await token(tab, { method: "GetToken", clientId: emulator.clientId, forceRefresh: true });
  const [refresh] = await emulator.tokenPosts(since, "refresh_token");
  expect(refresh?.status).toBe(200);
  refreshCorrelationId = refresh!.correlationId!;
  // The second site gets the cached token.
  otherTab = await browser.openApp(stack.appUrl(1));
  await token(otherTab, { method: "GetToken", clientId: emulator.clientId });
});

test.afterAll(async () => {
  await stopAll(stack ?? {});
});

test("every token served is on record with origin, scopes, account, time and how — the emulator's log agrees", async () => {
  const [first, second] = stack.origins.map((o) => o.origin);
  const { entries } = await stack.browser.send<{ entries: Entry[] }>({ kind: "getActivity" });
  const pages = entries.filter((e) => e.caller === "page");
  // Newest first: the second site's cached token, the forced refresh, the cached answer, the sign-in.
  expect(pages.map((e) => [e.frameOrigin, e.source])).toEqual([
    [second, "cache"],
    [first, "refresh_token"],
    [first, "cache"],
    [first, "interactive"],
  ]);
  for (const e of pages) {
    expect(e.origin).toBe(e.frameOrigin); // Top frames: the tab's origin is the frame's.
    expect(e.scopes.map((s) => s.toLowerCase())).toContain("user.read"); // As the cache keeps them: normalised.
    expect(e.username).toBe(USERNAME);
    expect(e.clientId).toBe(stack.emulator.clientId);
    expect(e.at).toBeGreaterThanOrEqual(started);
    expect(e.at).toBeLessThanOrEqual(Date.now());
  }
  // The IdP saw exactly the refresh the record calls "refreshed", under the same correlation ID.
  expect(pages[1]!.correlationId).toBe(refreshCorrelationId);
  expectNoToken(JSON.stringify(entries), "the activity record");
});

test("the options page shows the record, filtered by site and by account, with no token value on the page", async () => {
  const [first, second] = stack.origins.map((o) => o.origin);
  const options = await stack.browser.context.newPage();
  await options.goto(stack.browser.pageUrl("options.html"));
  const rows = options.getByTestId("activity-row");
  await expect(rows).toHaveCount(4);
  await expect(rows.first()).toHaveAttribute("data-origin", second!);
  await expect(rows.first().getByTestId("activity-scopes")).toContainText(/user\.read/i);

  await options.getByTestId("activity-filter-site").selectOption(first!);
  await expect(rows).toHaveCount(3);
  for (const row of await rows.all()) await expect(row).toHaveAttribute("data-origin", first!);
  await expect(options.locator('[data-testid="activity-row"][data-source="refresh_token"]')).toHaveCount(1);

  await options.getByTestId("activity-filter-site").selectOption("");
  await options.getByTestId("activity-filter-account").fill("nobody@contoso.test");
  await expect(options.getByTestId("activity-empty")).toBeVisible();
  await options.getByTestId("activity-filter-account").fill(USERNAME);
  await expect(rows).toHaveCount(4);

  expectNoToken(await options.content(), "the options page");
  await options.close();
});

test("the JSON and CSV exports hold every entry with origin, scopes and time, and no token value", async () => {
  const [first, second] = stack.origins.map((o) => o.origin);
  const options = await stack.browser.context.newPage();
  await options.goto(stack.browser.pageUrl("options.html"));
  await expect(options.getByTestId("activity-row")).toHaveCount(4);

  const [jsonDownload] = await Promise.all([options.waitForEvent("download"), options.getByTestId("activity-export-json").click()]);
  expect(jsonDownload.suggestedFilename()).toMatch(/^token-activity-\d{4}-\d{2}-\d{2}\.json$/);
  const jsonText = readFileSync((await jsonDownload.path())!, "utf8");
  const exported = JSON.parse(jsonText) as { bound: { maxDays: number; maxEntries: number }; entries: Entry[] };
  expect(exported.bound).toEqual({ maxDays: 30, maxEntries: 10_000 });
  expect(exported.entries.filter((e) => e.caller === "page").map((e) => e.frameOrigin)).toEqual([second, first, first, first]);
  for (const e of exported.entries) {
    expect(e.scopes.map((s) => s.toLowerCase())).toContain("user.read"); // As the cache keeps them: normalised.
    expect(e.at).toBeGreaterThanOrEqual(started);
  }
  expectNoToken(jsonText, "the JSON export");
  await expect(options.getByTestId("activity-message")).toContainText(String(exported.entries.length));

  const [csvDownload] = await Promise.all([options.waitForEvent("download"), options.getByTestId("activity-export-csv").click()]);
  expect(csvDownload.suggestedFilename()).toMatch(/\.csv$/);
  const csvText = readFileSync((await csvDownload.path())!, "utf8");
  const [header, ...rows] = csvText.trimEnd().split("\r\n");
  expect(header).toBe("time,caller,origin,frameOrigin,clientId,scopes,username,homeAccountId,source,correlationId");
  expect(rows).toHaveLength(exported.entries.length);
  const cells = rows.map((r) => r.split(","));
  expect(cells.filter((c) => c[1] === "page").map((c) => [c[3], c[8]])).toEqual([
    [second, "cache"],
    [first, "refresh_token"],
    [first, "cache"],
    [first, "interactive"],
  ]);
  for (const c of cells) {
    expect(Date.parse(c[0]!)).toBeGreaterThanOrEqual(started - 1000);
    expect(c[5]!.toLowerCase()).toContain("user.read");
  }
  expectNoToken(csvText, "the CSV export");
  await options.close();
});

test("the popup shows each allowed site's last use", async () => {
  const { entries } = await stack.browser.send<{ entries: Entry[] }>({ kind: "getActivity" });
  const popup = await stack.browser.context.newPage();
  await popup.goto(stack.browser.pageUrl("popup.html"));
  for (const site of stack.origins) {
    const newest = entries.find((e) => e.frameOrigin === site.origin)!;
    const item = popup.locator(`[data-testid="site-use-item"][data-origin="${site.origin}"]`);
    await expect(item).toHaveAttribute("data-last-use", String(newest.at));
    await expect(item.getByTestId("site-use-time")).not.toHaveText("");
  }
  expectNoToken(await popup.content(), "the popup");
  await popup.close();
});

test("a Sign in from the extension's own page is on record under the extension's origin", async () => {
  const own = `chrome-extension://${EXTENSION_ID}`;
  // Signed in already: the popup's Sign in is answered from the cache, no window (the source says so).
  await stack.browser.send({ kind: "signIn" });
  const { entries } = await stack.browser.send<{ entries: Entry[] }>({ kind: "getActivity", query: { origin: own } });
  expect(entries.map((e) => [e.caller, e.origin, e.frameOrigin, e.username, e.source])).toEqual([["sign-in", own, own, USERNAME, "cache"]]);
});
