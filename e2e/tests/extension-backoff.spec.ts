/**
 * Time-driven behaviour of the broker in real Chromium: proactive refresh at `refresh_in` with no page
 * asking (scenario 8), and a 5xx outage during which the cached token keeps being served while the
 * retries in the IdP's log are spaced ≥ 5 s and growing (scenario 6 — the one real wait, since the
 * rule itself is the wait). The backoff holds across callers: a page forcing a refresh inside the
 * first window adds no request. A refresh that failed is owed: the broker's alarm retries it after
 * each breaker window until it succeeds, with no page asking again.
 */
import { expect, test, type Page } from "@playwright/test";
import type { EmulatorHandle } from "../support/extension-emulator.js";
import type { ExtensionBrowser } from "../support/extension-browser.js";
import { freshToken as freshTokenOf, outageCell, proactiveRefreshCell } from "../support/broker-cells.js";
import { rawBridgeCall, type BridgeReply } from "../support/extension-page-calls.js";
import { startSignedIn, stopAll, type ExtensionStack } from "../support/extension-stack.js";

test.describe.configure({ mode: "serial" });

let emulator: EmulatorHandle;
let browser: ExtensionBrowser;
let tab: Page;
let stack: ExtensionStack;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const appUrl = () => stack.appUrl();

const freshToken = () => freshTokenOf(stack, tab);

test.beforeAll(async () => {
  ({ tab, ...stack } = await startSignedIn());
  ({ emulator, browser } = stack);
});

test.afterAll(async () => {
  await stopAll(stack ?? {});
});

test("8: proactive refresh — a refresh_token grant at refresh_in, before expiry, with no page asking", async () => {
  await proactiveRefreshCell(stack, tab);
});

test("6: 5xx outage — cached token still served; retries spaced ≥ 5 s, then growing", async () => {
  await outageCell(stack, tab);
});

test("6c: 5xx outage — a forced refresh that failed is retried by the broker on its own until it succeeds, with no page asking again", async () => {
  // The token is not due (CAE lifetime, no refresh_in): only the failed forced refresh is owed.
  const cached = await freshToken();
  const fault = await emulator.setFault({ endpoint: "token", type: "status", status: 503, durationMs: 8_000 });
  const before = await emulator.lastSeq();
  const forced = await rawBridgeCall(tab, { method: "GetToken", clientId: emulator.clientId, forceRefresh: true });
  expect(forced, JSON.stringify(forced)).toMatchObject({ success: true, token: { access_token: cached } });
  const faultEnd = fault.until ?? Date.now() + 8_000;

  // From here on no page asks anything: every further request is the broker's own backoff retry.
  let posts: Awaited<ReturnType<EmulatorHandle["tokenPosts"]>> = [];
  for (let i = 0; i < 90 && !posts.some((p) => p.status === 200); i++) {
    await sleep(500);
    posts = await emulator.tokenPosts(before);
  }
  const statuses = posts.map((p) => p.status);
  expect(statuses.length, JSON.stringify(statuses)).toBeGreaterThanOrEqual(3);
  expect(statuses.slice(0, -1).every((s) => s === 503), JSON.stringify(statuses)).toBe(true);
  expect(statuses.at(-1), "the broker recovered on its own").toBe(200);
  expect(posts.at(-1)!.time).toBeGreaterThanOrEqual(faultEnd);
  const gaps = posts.slice(1).map((p, i) => p.time - posts[i]!.time);
  expect(gaps[0]).toBeGreaterThanOrEqual(5000);
  for (let i = 1; i < gaps.length; i++) expect(gaps[i]).toBeGreaterThan(gaps[i - 1]!);
  // The page's next call is served the token the broker fetched for it.
  const after = await rawBridgeCall(tab, { method: "GetToken", clientId: emulator.clientId });
  expect(after, JSON.stringify(after)).toMatchObject({ success: true });
  if (after !== "timeout") expect(after.token?.access_token).not.toBe(cached);
});

test("6b: 5xx outage — forced refreshes from several tabs every second are all answered (cached token or TRANSIENT_ERROR with the wait), never left waiting", async () => {
  const cached = await freshToken();
  const tabs = [tab, await browser.openApp(appUrl()), await browser.openApp(appUrl())];
  await emulator.setFault({ endpoint: "token", type: "status", status: 503, durationMs: 12_000 });
  const before = await emulator.lastSeq();
  // Waves of simultaneous forced refreshes (one single flight in the broker), once a second, across
  // the first backoff window and the retry after it: a wave arriving while an earlier caller's retry
  // sleeps must not be parked behind it. 8 s is a generous "answered at all" bound, not a timing rule.
  const replies: Array<BridgeReply | "timeout"> = [];
  const started = Date.now();
  while (Date.now() - started < 8_000) {
    const wave = Date.now();
    replies.push(...(await Promise.all(tabs.map((t) => rawBridgeCall(t, { method: "GetToken", clientId: emulator.clientId, forceRefresh: true }, 8_000)))));
    await sleep(Math.max(0, 1000 - (Date.now() - wave)));
  }
  const faulted = (await emulator.tokenPosts(before)).filter((p) => p.status === 503);
  expect(faulted.length, "the outage reached the IdP").toBeGreaterThanOrEqual(2);
  expect(replies.filter((r) => r === "timeout")).toEqual([]);
  for (const reply of replies) {
    if (reply === "timeout") continue;
    if (reply.success) {
      expect(reply.token?.access_token).toBe(cached);
    } else {
      expect(reply.error, JSON.stringify(reply)).toMatchObject({ status: "TRANSIENT_ERROR", properties: { retryable: true } });
      expect(Number(reply.error?.properties?.retryAfterMs)).toBeGreaterThan(0);
    }
  }
  await Promise.all(tabs.slice(1).map((t) => t.close()));
});
