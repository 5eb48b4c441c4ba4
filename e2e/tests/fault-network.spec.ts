/**
 * Fault matrix, token endpoint network cells (issue 12): 429 with an HTTP-date Retry-After and with
 * none, a hanging request, dropped connections and added latency — each while a page needs a refresh
 * (access token expired, refresh token valid). The 429-seconds and 5xx cells live in
 * extension-resilience.spec.ts (5) and extension-backoff.spec.ts (6*). The emulator's request log is
 * the oracle; the only real waits are the Retry-After / backoff windows the rules are about.
 */
import { expect, test, type Page } from "@playwright/test";
import type { EmulatorHandle } from "../support/extension-emulator.js";
import type { ExtensionBrowser } from "../support/extension-browser.js";
import { appSilent, rawBridgeCall, type BridgeReply } from "../support/extension-page-calls.js";
import { startSignedIn, stopAll, type ExtensionStack } from "../support/extension-stack.js";
import { expireAccessToken } from "../support/token-expiry.js";

test.describe.configure({ mode: "serial" });

let emulator: EmulatorHandle;
let browser: ExtensionBrowser;
let tab: Page;
let stack: ExtensionStack;
const SHORT_LIFETIME_S = 2;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const appUrl = () => stack.appUrl();
const getToken = (page: Page = tab, timeoutMs = 30_000) => rawBridgeCall(page, { method: "GetToken", clientId: emulator.clientId }, timeoutMs);

/** Asks until a token comes back (or `limit` asks): every answer must come, none may hang. */
async function askUntilServed(limit: number, everyMs: number): Promise<BridgeReply[]> {
  const replies: BridgeReply[] = [];
  for (let i = 0; i < limit; i++) {
    const reply = await getToken();
    expect(reply, "every ask is answered").not.toBe("timeout");
    if (reply === "timeout") break;
    replies.push(reply);
    if (reply.success) break;
    await sleep(everyMs);
  }
  return replies;
}

/** A retryable failure with the wait: TRANSIENT_ERROR, or NO_NETWORK when the request could not be sent. */
function expectTransient(reply: BridgeReply | "timeout", statuses: string[] = ["TRANSIENT_ERROR"]): void {
  expect(reply).not.toBe("timeout");
  if (reply === "timeout") return;
  expect(reply.success, JSON.stringify(reply)).toBe(false);
  expect(statuses, JSON.stringify(reply)).toContain(reply.error?.status);
  expect(Number(reply.error?.properties?.retryAfterMs), "the page is told the wait").toBeGreaterThan(0);
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

test("token 429, Retry-After as an HTTP date: TRANSIENT_ERROR at once, nothing sent before the date, then served", async () => {
  await expireAccessToken(stack, tab, SHORT_LIFETIME_S);
  // HTTP dates have whole seconds: 4 s ahead is 3–4 s of wait.
  const date = new Date(Date.now() + 4000).toUTCString();
  const dateMs = Date.parse(date);
  await emulator.setFault({ endpoint: "token", type: "status", status: 429, retryAfter: date, count: 1 });
  const before = await emulator.lastSeq();
  expectTransient(await getToken());
  // MSAL inside the window: failed fast from the gate, nothing sent.
  const viaMsal = await appSilent(tab);
  expect(viaMsal.ok).toBe(false);
  expect(await emulator.tokenPosts(before)).toHaveLength(1);

  const replies = await askUntilServed(30, 500);
  expect(replies.at(-1)?.success, JSON.stringify(replies.at(-1))).toBe(true);
  const posts = await emulator.tokenPosts(before);
  expect(posts.map((p) => p.status)).toEqual([429, 200]);
  expect(posts[1]!.time).toBeGreaterThanOrEqual(dateMs);
});

test("token 429 without Retry-After: the broker still holds back for its documented default (5 s), then served", async () => {
  await expireAccessToken(stack, tab, SHORT_LIFETIME_S);
  await emulator.setFault({ endpoint: "token", type: "status", status: 429, retryAfter: null, count: 1 });
  const before = await emulator.lastSeq();
  const first = await getToken();
  expectTransient(first);
  if (first !== "timeout") expect(Number(first.error?.properties?.retryAfterMs)).toBeLessThanOrEqual(5000);

  const replies = await askUntilServed(30, 500);
  expect(replies.length, "asked inside the default window too").toBeGreaterThan(3);
  expect(replies.at(-1)?.success, JSON.stringify(replies.at(-1))).toBe(true);
  const posts = await emulator.tokenPosts(before);
  expect(posts.map((p) => p.status)).toEqual([429, 200]);
  // shared/resilience/retry-after.ts: an absent header means DEFAULT_RETRY_AFTER.defaultMs (5 s).
  expect(posts[1]!.time - posts[0]!.time).toBeGreaterThanOrEqual(5000);
});

test("token hang: the broker's request timeout fires, the page gets TRANSIENT_ERROR with a wait, then served", async () => {
  await expireAccessToken(stack, tab, SHORT_LIFETIME_S);
  await emulator.setFault({ endpoint: "token", type: "hang", count: 1 });
  const before = await emulator.lastSeq();
  // The ask that meets the hang is answered when the broker's 10 s request timeout fires.
  expectTransient(await getToken());
  // MSAL's own call inside the backoff window: answered (an error) at once, nothing sent.
  const viaMsal = await appSilent(tab);
  expect(viaMsal.ok, JSON.stringify(viaMsal)).toBe(false);
  expect(await emulator.tokenPosts(before)).toHaveLength(1);

  const replies = await askUntilServed(40, 500);
  expect(replies.at(-1)?.success, JSON.stringify(replies.at(-1))).toBe(true);
  const posts = await emulator.tokenPosts(before);
  expect(posts[0]!.fault).toBe("hang");
  expect(posts.slice(1).map((p) => p.status)).toEqual([200]);
  // The hung attempt was abandoned by the timeout and its retry waited out the breaker (≥ 5 s).
  expect(posts[1]!.time - posts[0]!.time).toBeGreaterThanOrEqual(5000);
});

test("token dropped connection: every ask answered at once (NO_NETWORK with the wait), no retry inside 5 s, then served", async () => {
  await expireAccessToken(stack, tab, SHORT_LIFETIME_S);
  const fault = await emulator.setFault({ endpoint: "token", type: "drop", durationMs: 3000 });
  const before = await emulator.lastSeq();
  const started = Date.now();
  expectTransient(await getToken(), ["NO_NETWORK"]);

  const replies = await askUntilServed(40, 500);
  expect(replies.at(-1)?.success, JSON.stringify(replies.at(-1))).toBe(true);
  const posts = await emulator.tokenPosts(before);
  const dropped = posts.filter((p) => p.fault === "drop");
  expect(dropped.length).toBeGreaterThanOrEqual(1);
  expect(posts.at(-1)!.status).toBe(200);
  expect(posts.at(-1)!.time).toBeGreaterThanOrEqual(fault.until ?? started + 3000);
  // The broker's own attempts (its event log) against what reached the IdP: Chromium resends a POST
  // whose reused connection was reset before any answer, so one attempt can arrive twice — never
  // more, and never a second grant (a dropped request is never redeemed).
  const events = await browser.send<Array<{ at: number; type: string; detail?: Record<string, unknown> }>>({ kind: "getEvents", limit: 200 });
  const attempts = events.filter((e) => e.type === "http.request" && e.at >= started && String(e.detail?.key ?? "").endsWith("/token"));
  expect(attempts.length).toBeGreaterThanOrEqual(2);
  expect(posts.length).toBeLessThanOrEqual(2 * attempts.length);
  expect(posts.filter((p) => p.status === 200)).toHaveLength(1);
  const gapAfterDrop = posts.at(-1)!.time - dropped.at(-1)!.time;
  expect(gapAfterDrop).toBeGreaterThanOrEqual(5000);
  test.info().annotations.push({ type: "evidence", description: JSON.stringify({ attempts: attempts.length, posts: posts.map((p) => [p.time - posts[0]!.time, p.fault ?? p.status]) }) });
});

test("token added latency: three tabs at once are all served the same token from one refresh grant", async () => {
  await expireAccessToken(stack, tab, SHORT_LIFETIME_S);
  await emulator.setFault({ endpoint: "token", type: "latency", latencyMs: 2500, count: 1 });
  const tabs = [tab, await browser.openApp(appUrl()), await browser.openApp(appUrl())];
  const before = await emulator.lastSeq();
  const results = await Promise.all(tabs.map((t) => appSilent(t)));
  for (const r of results) expect(r.ok, JSON.stringify(r)).toBe(true);
  expect(new Set(results.map((r) => (r.ok ? r.accessToken : ""))).size).toBe(1);
  const posts = await emulator.tokenPosts(before);
  expect(posts.map((p) => [p.grantType, p.status, p.fault])).toEqual([["refresh_token", 200, "latency"]]);
  await Promise.all(tabs.slice(1).map((t) => t.close()));
});

test("browser offline, then back: every ask answered at once, the broker's attempts spaced, one refresh grant when back", async () => {
  await expireAccessToken(stack, tab, SHORT_LIFETIME_S);
  const other = await browser.openApp(appUrl());
  const before = await emulator.lastSeq();
  const started = Date.now();
  await browser.context.setOffline(true);
  const replies: Array<BridgeReply | "timeout"> = [];
  try {
    for (let round = 0; round < 6; round++) {
      replies.push(...(await Promise.all([getToken(tab, 15_000), getToken(other, 15_000)])));
      await sleep(500);
    }
  } finally {
    await browser.context.setOffline(false);
  }
  for (const reply of replies) expectTransient(reply, ["NO_NETWORK", "TRANSIENT_ERROR"]);
  const events = await browser.send<Array<{ at: number; type: string; detail?: Record<string, unknown> }>>({ kind: "getEvents", limit: 200 });
  const attempts = events.filter((e) => e.type === "http.request" && e.at >= started && String(e.detail?.key ?? "").endsWith("/token"));
  test.info().annotations.push({ type: "evidence", description: JSON.stringify({ asks: replies.length, attempts: attempts.map((a) => a.at - started), idp: (await emulator.tokenPosts(before)).length }) });
  // 12 asks over a few seconds while offline: the broker's attempts are ≥ 5 s apart (its backoff
  // holds every other ask back; in a normal run that is one attempt for all 12).
  expect(attempts.length).toBeGreaterThanOrEqual(1);
  for (let i = 1; i < attempts.length; i++) expect(attempts[i]!.at - attempts[i - 1]!.at).toBeGreaterThanOrEqual(5000);
  expect(await emulator.tokenPosts(before), "nothing reached the IdP while offline").toEqual([]);

  // Back online: the pages keep asking; one refresh grant serves them all, nothing more.
  const served = await askUntilServed(30, 500);
  expect(served.at(-1)?.success, JSON.stringify(served.at(-1))).toBe(true);
  const fromOther = await getToken(other);
  expect(fromOther !== "timeout" && fromOther.success, JSON.stringify(fromOther)).toBe(true);
  const posts = await emulator.tokenPosts(before);
  expect(posts.map((p) => [p.grantType, p.status])).toEqual([["refresh_token", 200]]);
  await other.close();
});

test("connection resets: each broker attempt reaches the IdP at most twice (Chromium's resend), never redeemed twice", async () => {
  await expireAccessToken(stack, tab, SHORT_LIFETIME_S);
  const fault = await emulator.setFault({ endpoint: "token", type: "drop", durationMs: 12_000 });
  const before = await emulator.lastSeq();
  const started = Date.now();
  const replies = await askUntilServed(60, 1000);
  expect(replies.at(-1)?.success, JSON.stringify(replies.at(-1))).toBe(true);
  const posts = await emulator.tokenPosts(before);
  const events = await browser.send<Array<{ at: number; type: string; detail?: Record<string, unknown> }>>({ kind: "getEvents", limit: 300 });
  const attempts = events.filter((e) => e.type === "http.request" && e.at >= started && String(e.detail?.key ?? "").endsWith("/token")).map((e) => e.at);
  test.info().annotations.push({
    type: "evidence",
    description: JSON.stringify({ attempts: attempts.map((t) => t - started), posts: posts.map((p) => [p.time - started, p.fault ?? p.status]) }),
  });
  expect(posts.at(-1)!.time).toBeGreaterThanOrEqual(fault.until ?? started + 12_000);
  expect(attempts.length, "the outage spanned several backoff retries").toBeGreaterThanOrEqual(3);
  expect(posts.length).toBeLessThanOrEqual(2 * attempts.length);
  // Every dropped POST died before the IdP read it: one grant in all.
  expect(posts.filter((p) => p.status === 200)).toHaveLength(1);
  expect(posts.filter((p) => p.error === "invalid_grant")).toEqual([]);
});

test("connection reset after the IdP redeemed the refresh token: the page is served, no invalid_grant, the family alive", async () => {
  await expireAccessToken(stack, tab, SHORT_LIFETIME_S);
  await emulator.setFault({ endpoint: "token", type: "reset", count: 1 });
  const before = await emulator.lastSeq();
  const started = Date.now();
  const replies = await askUntilServed(30, 1000);
  expect(replies.at(-1)?.success, JSON.stringify(replies.at(-1))).toBe(true);
  const posts = await emulator.tokenPosts(before);
  const events = await browser.send<Array<{ at: number; type: string; detail?: Record<string, unknown> }>>({ kind: "getEvents", limit: 200 });
  const attempts = events.filter((e) => e.type === "http.request" && e.at >= started && String(e.detail?.key ?? "").endsWith("/token"));
  test.info().annotations.push({ type: "evidence", description: JSON.stringify({ attempts: attempts.map((a) => a.at - started), posts: posts.map((p) => [p.time - started, p.grantType, p.fault ?? p.status]) }) });
  // The lost answer's redemption and one more (Chromium's resend, or the broker's retry after 5 s):
  // Entra keeps a presented refresh token valid, so the second redemption succeeds.
  expect(posts.map((p) => [p.grantType, p.status])).toEqual([["refresh_token", 0], ["refresh_token", 200]]);
  expect(posts.filter((p) => p.error === "invalid_grant")).toEqual([]);
  // The rotated token the broker kept still refreshes.
  await expireAccessToken(stack, tab, SHORT_LIFETIME_S);
  expect((await emulator.tokenPosts(before)).filter((p) => p.error === "invalid_grant")).toEqual([]);
});
