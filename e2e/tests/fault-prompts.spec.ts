/**
 * Fault matrix, prompt cells (issue 12): what reaches the authorize and token endpoints when pages
 * poll while signed out, ask for windows at the same instant, force refreshes in a loop, or send a
 * request too large to carry. The emulator's request log is the oracle, never the broker's word.
 */
import { expect, test, type Page } from "@playwright/test";
import { EmulatorHandle } from "../support/extension-emulator.js";
import { ExtensionBrowser, configureBroker } from "../support/extension-browser.js";
import { startFixtureServer, type FixtureServer } from "../support/extension-fixture-server.js";
import { appPopup, rawBridgeCall, type BridgeReply } from "../support/extension-page-calls.js";

test.describe.configure({ mode: "serial" });

const DATA_READ = "api://demo/Data.Read";
let emulator: EmulatorHandle;
let fixture: FixtureServer;
let browser: ExtensionBrowser;
let tabs: Page[];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const authorizeGets = async (since: number) => emulator.requests({ since, endpoint: "authorize", method: "GET" });

test.beforeAll(async () => {
  emulator = await EmulatorHandle.start();
  fixture = await startFixtureServer();
  browser = await new ExtensionBrowser(emulator).launch();
  await configureBroker(await browser.extensionMessenger(), {
    authority: emulator.authority,
    clientId: emulator.clientId,
    scopes: ["User.Read", DATA_READ],
    grants: [{ origin: fixture.origin, clientIds: [] }],
  });
  const url = fixture.appUrl({ authority: emulator.authority, clientId: emulator.clientId });
  tabs = [await browser.openApp(url), await browser.openApp(url)];
});

test.afterAll(async () => {
  await browser?.close();
  await fixture?.close();
  await emulator?.close();
});

test("signed out, two tabs polling GetToken: one prompt=none for all their asks, each answered at once", async () => {
  const before = await emulator.lastSeq();
  const replies: Array<BridgeReply | "timeout"> = [];
  for (let round = 0; round < 8; round++) {
    replies.push(...(await Promise.all(tabs.map((tab) => rawBridgeCall(tab, { method: "GetToken", clientId: emulator.clientId }, 15_000)))));
    await sleep(250);
  }
  for (const reply of replies) {
    expect(reply, "every ask gets an answer").not.toBe("timeout");
    if (reply === "timeout") continue;
    expect(reply.success).toBe(false);
    expect(reply.error?.status).toBe("USER_INTERACTION_REQUIRED");
  }
  const silent = (await authorizeGets(before)).filter((r) => r.prompt === "none");
  expect(silent).toHaveLength(1);
});

test("two tabs call acquireTokenPopup at once for different resources: one sign-in window, both served", async () => {
  const before = await emulator.lastSeq();
  const [first, second] = await Promise.all([
    appPopup(tabs[0]!, { scopes: ["User.Read"] }),
    appPopup(tabs[1]!, { scopes: [DATA_READ] }),
    browser.completeSignIn(),
  ]);
  expect(first.ok, JSON.stringify(first)).toBe(true);
  expect(second.ok, JSON.stringify(second)).toBe(true);
  const windows = (await authorizeGets(before)).filter((r) => r.prompt !== "none");
  expect(windows).toHaveLength(1);
  // The second resource came from the sign-in's refresh token, not from a second code.
  expect(await emulator.tokenPosts(before, "authorization_code")).toHaveLength(1);
  expect(await emulator.tokenPosts(before, "refresh_token")).toHaveLength(1);
});

test("a page forcing refreshes back to back: 3 refresh-token grants per 15 s, then the young token", async () => {
  const before = await emulator.lastSeq();
  for (let i = 0; i < 20; i++) {
    const reply = await rawBridgeCall(tabs[0]!, { method: "GetToken", clientId: emulator.clientId, forceRefresh: true });
    expect(reply !== "timeout" && reply.success, JSON.stringify(reply)).toBe(true);
  }
  expect(await emulator.tokenPosts(before, "refresh_token")).toHaveLength(3);
  expect(await emulator.requests({ since: before, endpoint: "token" }).then((r) => r.filter((e) => e.error === "invalid_grant"))).toHaveLength(0);
});

test("an oversized bridge request (70 KB of claims) is answered with an error, never left pending", async () => {
  const claims = JSON.stringify({ access_token: { xms_pad: { value: "x".repeat(70 * 1024) } } });
  const reply = await rawBridgeCall(tabs[0]!, { method: "GetToken", clientId: emulator.clientId, claims }, 10_000);
  expect(reply).not.toBe("timeout");
  if (reply === "timeout") return;
  expect(reply.success).toBe(false);
  expect(reply.error?.status).toBe("PERSISTENT_ERROR");
  // The broker still serves the page afterwards.
  const after = await rawBridgeCall(tabs[0]!, { method: "GetToken", clientId: emulator.clientId });
  expect(after !== "timeout" && after.success, JSON.stringify(after)).toBe(true);
});

test("the user closes the sign-in window: told at once; a click later the window opens again, no window loop", async () => {
  const popup = await browser.context.newPage();
  await popup.goto(browser.pageUrl("popup.html"));
  await popup.getByTestId("sign-out").click();
  await expect(popup.getByTestId("account-name")).toHaveText("Not signed in");
  await popup.close();
  const before = await emulator.lastSeq();

  const window = browser.signInWindow();
  const closed = appPopup(tabs[0]!);
  await (await window).close();
  const cancelled = await closed;
  expect(cancelled.ok).toBe(false);
  if (!cancelled.ok) expect(cancelled.errorCode).toMatch(/cancel/i);

  // An app retrying on its own (no click: past the ~5 s of activation Playwright's evaluate gives)
  // opens no window during the cool-down and is answered at once…
  const looped = await rawBridgeCall(tabs[1]!, { method: "GetTokenPopup", clientId: emulator.clientId }, 15_000, 6_000);
  expect(looped, "answered at once, not left waiting").not.toBe("timeout");
  expect(looped !== "timeout" && looped.success, JSON.stringify(looped)).toBe(false);
  // …but a person's click does: the relay sees the page's user activation.
  await tabs[0]!.bringToFront();
  await tabs[0]!.mouse.click(5, 5);
  const [retried] = await Promise.all([appPopup(tabs[0]!), browser.completeSignIn()]);
  expect(retried.ok, JSON.stringify(retried)).toBe(true);
  const windows = (await authorizeGets(before)).filter((r) => r.prompt !== "none");
  expect(windows).toHaveLength(2);
});

/**
 * An app's own acquireTokenPopup loop, run inside the page: it starts once the activation Playwright's
 * evaluate gives has lapsed (~5 s), so no call carries a click, and calls back to back for `forMs`.
 * Each call's outcome (never a token), whether the page had activation, and how long the answer took;
 * a call not answered within `pendingMs` ends the loop as "pending". A string: no transpiler helper
 * reaches the page.
 */
const APP_POPUP_LOOP = `async ({ startAfterMs, forMs, pauseMs, pendingMs }) => {
  await new Promise((resolve) => setTimeout(resolve, startAfterMs));
  const calls = [];
  const start = performance.now();
  while (performance.now() - start < forMs) {
    const asked = performance.now();
    const activated = navigator.userActivation.isActive;
    const result = await Promise.race([window.naaApp.popup(), new Promise((resolve) => setTimeout(() => resolve("pending"), pendingMs))]);
    const outcome = result === "pending" ? "pending" : result.ok ? "token" : result.errorCode;
    calls.push({ at: Math.round(asked - start), ms: Math.round(performance.now() - asked), activated, outcome });
    if (outcome === "pending") break;
    await new Promise((resolve) => setTimeout(resolve, pauseMs));
  }
  return calls;
}`;

type LoopCall = { at: number; ms: number; activated: boolean; outcome: string };

test("an app looping acquireTokenPopup with no user activation after the user closed the window: no window from the loop, each call answered, authorize bounded", async () => {
  // Signed out, the IdP session ended too (as the popup's Sign out does; also when this cell runs alone).
  await browser.send({ kind: "signOut" });
  const before = await emulator.lastSeq();

  // The one window: a click's acquireTokenPopup, and the user closes it.
  const window = browser.signInWindow();
  const closed = appPopup(tabs[0]!);
  await (await window).close();
  const cancelled = await closed;
  expect(cancelled.ok || cancelled.errorCode, JSON.stringify(cancelled)).toMatch(/cancel/i);
  const afterClose = await emulator.lastSeq();

  // Any window the loop opens is counted (ms after the close), and closed as a person would, so the loop goes on.
  const closedAt = Date.now();
  const loopWindows: number[] = [];
  const onPage = (page: Page) => {
    loopWindows.push(Date.now() - closedAt);
    void page.close();
  };
  browser.context.on("page", onPage);
  const LOOP_MS = 20_000;
  const calls = (await tabs[0]!.evaluate(`(${APP_POPUP_LOOP})(${JSON.stringify({ startAfterMs: 6_000, forMs: LOOP_MS, pauseMs: 200, pendingMs: 5_000 })})`)) as LoopCall[];
  browser.context.off("page", onPage);

  const authorizes = await authorizeGets(before);
  const evidence = { calls: calls.length, slowestMs: Math.max(...calls.map((c) => c.ms)), outcomes: [...new Set(calls.map((c) => c.outcome))], loopWindows, authorizes: authorizes.map((r) => r.prompt ?? "window") };
  test.info().annotations.push({ type: "evidence", description: JSON.stringify(evidence) });
  expect(calls.filter((c) => c.activated), "the loop ran without user activation").toEqual([]);
  expect(calls.filter((c) => c.outcome === "pending"), "every call answered").toEqual([]);
  expect(calls.length, "the loop kept calling").toBeGreaterThan(20);
  expect(calls.filter((c) => c.outcome === "token")).toEqual([]);
  expect(loopWindows, "no window opened by the loop").toEqual([]);

  // The IdP saw the one window and the one prompt=none before it; the loop itself sent nothing.
  expect(authorizes.filter((r) => r.prompt !== "none"), "the one window").toHaveLength(1);
  expect(authorizes.filter((r) => r.prompt === "none").length, "prompt=none bounded by the silent backoff").toBeLessThanOrEqual(3);
  expect(await emulator.requests({ since: afterClose, endpoint: "authorize" }), "nothing from the loop").toEqual([]);
  expect(await emulator.tokenPosts(before)).toEqual([]);

  // A person's click still opens the window and signs in.
  await tabs[0]!.bringToFront();
  await tabs[0]!.mouse.click(5, 5);
  const [signedIn] = await Promise.all([appPopup(tabs[0]!), browser.completeSignIn()]);
  expect(signedIn.ok, JSON.stringify(signedIn)).toBe(true);
});
