/**
 * Fault matrix, authorize endpoint cells during `prompt=none` (issue 12): the access token and the
 * refresh token have expired, so the chain reaches the silent authorize step — and /authorize answers
 * 429, 503, hangs or drops the connection. launchWebAuthFlow hides the status from the broker, so after
 * a failed silent flow the broker asks /authorize once more without cookies (issue 18): a 429 closes
 * the authorize endpoint's Retry-After gate for the wait it names, and otherwise the broker's own
 * silent-authorize backoff keeps the IdP's log bounded (first retry ≥ 5 s, growing) while every page
 * ask is answered at once (TRANSIENT_ERROR or USER_INTERACTION_REQUIRED with the wait).
 */
import { expect, test, type Page } from "@playwright/test";
import type { EmulatorHandle } from "../support/extension-emulator.js";
import type { ExtensionBrowser } from "../support/extension-browser.js";
import type { FaultSpec } from "../kit/emulator/control-client.js";
import { appPopup, rawBridgeCall, type BridgeReply } from "../support/extension-page-calls.js";
import { startSignedIn, stopAll, type ExtensionStack } from "../support/extension-stack.js";
import { attemptsOf, authorizeGateRemainingMs, reachPromptNone, silentAuthorizes } from "../support/prompt-none.js";

test.describe.configure({ mode: "serial" });

let emulator: EmulatorHandle;
let browser: ExtensionBrowser;
let tab: Page;
let stack: ExtensionStack;
const SHORT_LIFETIME_S = 2;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const appUrl = () => stack.appUrl();
const getToken = (timeoutMs = 30_000) => rawBridgeCall(tab, { method: "GetToken", clientId: emulator.clientId }, timeoutMs);

/** Faults /authorize for `windowMs` and asks once a second through it: the replies, and the prompt=none requests the IdP saw. */
async function askThroughFault(fault: Omit<FaultSpec, "endpoint" | "durationMs">, windowMs: number) {
  // A previous cell's 429 may still hold the authorize endpoint's gate (no sign-in flow at all, not
  // even a window, until its Retry-After has passed): that wait is the rule, so it is waited out.
  await sleep(await authorizeGateRemainingMs(browser));
  // The previous cell left no refresh token and a silent backoff running: an app's acquireTokenPopup
  // signs in again from the IdP session (no window needed) and voids the remembered answers.
  const again = await appPopup(tab);
  expect(again.ok, JSON.stringify(again)).toBe(true);
  await reachPromptNone(stack, tab, SHORT_LIFETIME_S);
  const before = await emulator.lastSeq();
  await emulator.setFault({ endpoint: "authorize", durationMs: windowMs, ...fault });
  const started = Date.now();
  const replies: Array<BridgeReply | "timeout"> = [];
  while (Date.now() - started < windowMs) {
    const asked = Date.now();
    replies.push(await getToken(20_000));
    await sleep(Math.max(0, 1000 - (Date.now() - asked)));
  }
  const silent = await silentAuthorizes(emulator, before);
  return { replies, silent, before };
}

function expectAnsweredWithoutToken(replies: Array<BridgeReply | "timeout">): void {
  expect(replies.filter((r) => r === "timeout"), "every ask is answered").toEqual([]);
  for (const reply of replies) {
    if (reply === "timeout") continue;
    expect(reply.success, JSON.stringify(reply)).toBe(false);
    expect(["TRANSIENT_ERROR", "USER_INTERACTION_REQUIRED"], JSON.stringify(reply)).toContain(reply.error?.status);
  }
}

/** Bounded prompt=none: the first retry ≥ 5 s after the first attempt, each later gap longer. */
function expectBackoff(attempts: number[], atMost: number): void {
  expect(attempts.length).toBeGreaterThanOrEqual(1);
  expect(attempts.length).toBeLessThanOrEqual(atMost);
  const gaps = attempts.slice(1).map((t, i) => t - attempts[i]!);
  if (gaps.length > 0) expect(gaps[0]).toBeGreaterThanOrEqual(5000);
  for (let i = 1; i < gaps.length; i++) expect(gaps[i]).toBeGreaterThan(gaps[i - 1]!);
}

test.beforeAll(async () => {
  ({ tab, ...stack } = await startSignedIn());
  ({ emulator, browser } = stack);
});

test.afterAll(async () => {
  await stopAll(stack ?? {});
});

test.afterEach(async () => {
  await emulator.clearFaults();
});

/** An HTTP-date `ms` from now, made when the fault is set (not when the spec loads). */
const httpDate = (ms: number) => new Date(Date.now() + ms).toUTCString();

test("authorize 429 with Retry-After: 20 during prompt=none: the probe learns the wait — no prompt=none inside it, a token right after it", async () => {
  const { replies, silent } = await askThroughFault({ type: "status", status: 429, retryAfter: 20 }, 20_000);
  expectAnsweredWithoutToken(replies);
  const waits = replies.map((r) => (r === "timeout" ? NaN : Number(r.error?.properties?.retryAfterMs)));
  // The first caller is told the IdP's own Retry-After (not the backoff's 5 s); later ones what is left of it.
  expect(waits[0], JSON.stringify(replies[0])).toBe(20_000);
  for (const wait of waits) expect(wait).toBeGreaterThan(0);
  // One silent attempt inside the 20 s: the flow and its cookie-less probe (one correlation id), all 429.
  expect(attemptsOf(silent)).toHaveLength(1);
  expect(silent.length, "the flow and the probe").toBeGreaterThanOrEqual(2);
  for (const get of silent) expect(get.status).toBe(429);
  // The gate opens when the Retry-After has passed, not at a backoff step after it: the next ask gets the token.
  await sleep(await authorizeGateRemainingMs(browser));
  const before = await emulator.lastSeq();
  const after = await getToken();
  expect(after !== "timeout" && after.success, JSON.stringify(after)).toBe(true);
  expect(attemptsOf(await silentAuthorizes(emulator, before))).toHaveLength(1);
  test.info().annotations.push({ type: "evidence", description: JSON.stringify({ gets: silent.map((s) => [s.time - silent[0]!.time, s.fault, s.status]), waits }) });
});

for (const [cell, fault, windowMs, atMost] of [
  // A Retry-After as a date, or none (the default 5 s), holds prompt=none the same way.
  ["429 with Retry-After as an HTTP date", () => ({ type: "status", status: 429, retryAfter: httpDate(20_000) }), 7_000, 2],
  ["429 without Retry-After", () => ({ type: "status", status: 429, retryAfter: null }), 7_000, 2],
  ["503", () => ({ type: "status", status: 503 }), 7_000, 2],
  ["drop", () => ({ type: "drop" }), 7_000, 2],
] as const) {
  test(`authorize ${cell} during prompt=none: each ask answered at once with the wait, prompt=none bounded (first retry ≥ 5 s, growing)`, async () => {
    const { replies, silent } = await askThroughFault(fault() as Omit<FaultSpec, "endpoint" | "durationMs">, windowMs);
    expectAnsweredWithoutToken(replies);
    for (const reply of replies) if (reply !== "timeout") expect(Number(reply.error?.properties?.retryAfterMs), JSON.stringify(reply)).toBeGreaterThan(0);
    const attempts = attemptsOf(silent);
    expectBackoff(attempts, atMost);
    test.info().annotations.push({ type: "evidence", description: JSON.stringify({ cell, gets: silent.map((s) => [s.time - silent[0]!.time, s.fault]), attempts: attempts.length }) });
  });
}

test("connection reset after the IdP redeemed the prompt=none code: the page still gets a token", async () => {
  const again = await appPopup(tab);
  expect(again.ok, JSON.stringify(again)).toBe(true);
  await reachPromptNone(stack, tab, SHORT_LIFETIME_S);
  // One ask spends the expired refresh token (invalid_grant: the broker forgets it) while /authorize
  // fails once; after that failure's backoff the next token request is the code redemption.
  await emulator.setFault({ endpoint: "authorize", type: "status", status: 503, count: 1 });
  expect(await getToken().then((r) => r !== "timeout" && r.error?.status)).toBe("TRANSIENT_ERROR");
  await sleep(5200);
  const before = await emulator.lastSeq();
  await emulator.setFault({ endpoint: "token", type: "reset", count: 1 });
  const first = await getToken();
  const posts = await emulator.tokenPosts(before);
  test.info().annotations.push({ type: "evidence", description: JSON.stringify({ posts: posts.map((p) => [p.time - posts[0]!.time, p.grantType, p.fault ?? p.status, p.error]) }) });
  expect(first !== "timeout" && first.success, JSON.stringify(first)).toBe(true);
  // The lost redemption, Chromium's resend of the same POST (AADSTS54005: already redeemed), and the
  // one fresh code the broker got from the session instead of telling the page to prompt.
  expect(posts.map((p) => [p.grantType, p.status])).toEqual([["authorization_code", 0], ["authorization_code", 400], ["authorization_code", 200]]);
  expect(await silentAuthorizes(emulator, before)).toHaveLength(2);
});

test("authorize hang during prompt=none: the flow's timeout answers the first ask, the rest at once; one prompt=none", async () => {
  const { replies, silent } = await askThroughFault({ type: "hang" }, 13_000);
  expectAnsweredWithoutToken(replies);
  expect(replies.length, "asks after the timed-out one are answered at once").toBeGreaterThan(1);
  expectBackoff(attemptsOf(silent), 1);
});

test("after the authorize faults: tokens flow again (prompt=none with the session, once)", async () => {
  await emulator.clearFaults();
  // The last failure's backoff is still running: an app's own interactive call is one way through;
  // here the page just keeps asking silently until the backoff lets prompt=none through.
  const before = await emulator.lastSeq();
  let reply: BridgeReply | "timeout" = "timeout";
  for (let i = 0; i < 30; i++) {
    reply = await getToken();
    if (reply !== "timeout" && reply.success) break;
    await sleep(1000);
  }
  expect(reply !== "timeout" && reply.success, JSON.stringify(reply)).toBe(true);
  expect(attemptsOf(await silentAuthorizes(emulator, before))).toHaveLength(1);
});

test("connection reset after the IdP redeemed the sign-in window's code: one window, the page served", async () => {
  const popup = await browser.context.newPage();
  await popup.goto(browser.pageUrl("popup.html"));
  await popup.getByTestId("sign-out").click();
  await expect(popup.getByTestId("account-name")).toHaveText("Not signed in");
  await popup.close();
  const before = await emulator.lastSeq();
  await emulator.setFault({ endpoint: "token", type: "reset", count: 1 });
  const [signedIn] = await Promise.all([appPopup(tab), browser.completeSignIn()]);
  expect(signedIn.ok, JSON.stringify(signedIn)).toBe(true);
  const posts = await emulator.tokenPosts(before);
  expect(posts.map((p) => [p.grantType, p.status])).toEqual([["authorization_code", 0], ["authorization_code", 400], ["authorization_code", 200]]);
  const authorizes = await emulator.requests({ since: before, endpoint: "authorize", method: "GET" });
  expect(authorizes.filter((r) => r.prompt !== "none"), "one sign-in window").toHaveLength(1);
});

test("authorize added latency during prompt=none: concurrent asks from two tabs share one prompt=none, all served, no window", async () => {
  const LATENCY_MS = 2_500;
  const again = await appPopup(tab);
  expect(again.ok, JSON.stringify(again)).toBe(true);
  const second = await browser.openApp(appUrl());
  await reachPromptNone(stack, tab, SHORT_LIFETIME_S);
  const windows: Page[] = [];
  const onPage = (page: Page) => windows.push(page);
  browser.context.on("page", onPage);
  const before = await emulator.lastSeq();
  await emulator.setFault({ endpoint: "authorize", type: "latency", latencyMs: LATENCY_MS, durationMs: 20_000 });
  const started = Date.now();
  const ask = (page: Page, delayMs = 0) =>
    rawBridgeCall(page, { method: "GetToken", clientId: emulator.clientId }, 20_000, delayMs).then((reply) => ({ reply, ms: Date.now() - started }));
  // Five asks at once, and one more while the slow page is still loading.
  const answers = await Promise.all([ask(tab), ask(tab), ask(tab), ask(second), ask(second), ask(second, 1_000)]);
  browser.context.off("page", onPage);

  for (const { reply } of answers) expect(reply !== "timeout" && reply.success, JSON.stringify(reply === "timeout" ? reply : reply.error)).toBe(true);
  const tokens = new Set(answers.map(({ reply }) => (reply !== "timeout" ? reply.token?.access_token : undefined)));
  expect(tokens.size, "every ask got the one token the one code brought").toBe(1);
  const authorizes = await emulator.requests({ since: before, endpoint: "authorize", method: "GET" });
  expect(authorizes.map((r) => [r.prompt ?? "window", r.fault, r.status]), "one prompt=none, slowed; no window").toEqual([["none", "latency", 302]]);
  expect(authorizes[0]!.durationMs).toBeGreaterThanOrEqual(LATENCY_MS);
  // The expired refresh token was tried once (and forgotten), then one code redeemed.
  const posts = await emulator.tokenPosts(before);
  expect(posts.map((p) => [p.grantType, p.status])).toEqual([["refresh_token", 400], ["authorization_code", 200]]);
  expect(windows, "no sign-in window").toEqual([]);
  for (const { ms } of answers) expect(ms).toBeGreaterThanOrEqual(LATENCY_MS);
  test.info().annotations.push({ type: "evidence", description: JSON.stringify({ answeredMs: answers.map((a) => a.ms), authorizeMs: authorizes[0]!.durationMs }) });
  await second.close();
});
