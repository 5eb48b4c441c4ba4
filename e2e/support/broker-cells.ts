/**
 * Resilience cells that run unchanged on both engines (the Chromium specs and the firefox-*.spec.ts
 * leg call them with their own stack): proactive refresh at `refresh_in`, a 5xx outage with spaced
 * retries, and a 429 whose Retry-After window receives nothing. Each reads the emulator's request log
 * as its oracle.
 */
import { expect } from "@playwright/test";
import type { EmulatorHandle } from "./extension-emulator.js";
import { appSilent, rawBridgeCall, type Page } from "./extension-page-calls.js";
import type { BrokerBrowser } from "./extension-stack.js";
import { expireAccessToken } from "./token-expiry.js";

export interface CellStack {
  emulator: EmulatorHandle;
  browser: BrokerBrowser & Parameters<typeof expireAccessToken>[0]["browser"];
  appUrl(index?: number): string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A token the broker fetched just now (a forced refresh through the bridge). */
export async function freshToken(stack: CellStack, tab: Page): Promise<string> {
  const reply = await rawBridgeCall(tab, { method: "GetToken", clientId: stack.emulator.clientId, forceRefresh: true });
  if (reply === "timeout" || !reply.success || !reply.token) throw new Error(`no token: ${JSON.stringify(reply)}`);
  return reply.token.access_token;
}

/**
 * Proactive refresh: a refresh_token grant at refresh_in (2 s), long before expiry, with no page
 * asking. `afterIssue` runs once the short-lived token is issued (Firefox suspends its event page there).
 */
export async function proactiveRefreshCell(stack: CellStack, tab: Page, afterIssue: () => Promise<void> = async () => undefined): Promise<void> {
  const { emulator } = stack;
  await emulator.setLifetimes({ refreshInSeconds: 2 });
  await freshToken(stack, tab);
  const issuedAt = Date.now();
  await emulator.setLifetimes({ refreshInSeconds: null });
  const before = await emulator.lastSeq();
  await afterIssue();
  let refreshes: Awaited<ReturnType<EmulatorHandle["tokenPosts"]>> = [];
  for (let i = 0; i < 100 && refreshes.length === 0; i++) {
    await sleep(100);
    refreshes = await emulator.tokenPosts(before, "refresh_token");
  }
  expect(refreshes.length).toBe(1);
  expect(refreshes[0]!.status).toBe(200);
  // At refresh_in (2 s), long before expiry (the CAE token lives 28 h), with no page asking.
  expect(refreshes[0]!.time - issuedAt).toBeGreaterThanOrEqual(1500);
}

/** 5xx outage: the cached token keeps being served; the IdP sees retries spaced ≥ 5 s, then growing. */
export async function outageCell(stack: CellStack, tab: Page): Promise<void> {
  const { emulator, browser } = stack;
  await emulator.setLifetimes({ refreshInSeconds: 1 });
  const cached = await freshToken(stack, tab);
  await emulator.setLifetimes({ refreshInSeconds: null });
  await emulator.setFault({ endpoint: "token", type: "status", status: 503, durationMs: 12_000 });
  const before = await emulator.lastSeq();

  // Pages keep getting the cached token while the IdP is down.
  await sleep(1500);
  const page = await browser.openApp(stack.appUrl());
  const served = await appSilent(page);
  expect(served.ok, JSON.stringify(served)).toBe(true);
  if (served.ok) expect(served.accessToken).toBe(cached);
  // A second page forcing a refresh inside the first window is answered without reaching the IdP.
  const forced = await rawBridgeCall(page, { method: "GetToken", clientId: emulator.clientId, forceRefresh: true });
  expect(forced, JSON.stringify(forced)).toMatchObject({ success: true, token: { access_token: cached } });
  const forcedAt = Date.now();

  let posts: Awaited<ReturnType<EmulatorHandle["tokenPosts"]>> = [];
  for (let i = 0; i < 80 && !posts.some((p) => p.status === 200); i++) {
    await sleep(500);
    // Faulted requests are answered before the body is read, so filter on the endpoint only.
    posts = await emulator.tokenPosts(before);
  }
  const statuses = posts.map((p) => p.status);
  expect(statuses.slice(0, 2)).toEqual([503, 503]);
  expect(statuses.at(-1)).toBe(200);
  // The forced refresh came while the first window (≥ 5 s after the first 503) was open, and caused no request.
  expect(forcedAt).toBeLessThan(posts[1]!.time);
  expect(posts.filter((p) => p.time > posts[0]!.time && p.time < posts[0]!.time + 5000)).toEqual([]);
  const gaps = posts.slice(1).map((p, i) => p.time - posts[i]!.time);
  expect(gaps[0]).toBeGreaterThanOrEqual(5000);
  for (let i = 1; i < gaps.length; i++) expect(gaps[i]).toBeGreaterThan(gaps[i - 1]!);
  await page.close();
}

/**
 * 429 with Retry-After while the access token is expired: the page gets TRANSIENT_ERROR at once; other
 * tabs and MSAL itself inside the window are failed fast by the persisted gate — nothing reaches the
 * IdP until the window ends. `otherAppUrl`: the app on a second granted origin (or the same one).
 */
export async function throttledTokenCell(stack: CellStack, tab: Page, otherAppUrl: string, lifetimeS = 3): Promise<void> {
  const { emulator, browser } = stack;
  await expireAccessToken(stack, tab, lifetimeS);
  await emulator.setFault({ endpoint: "token", type: "status", status: 429, retryAfter: 3, count: 1 });
  const before = await emulator.lastSeq();
  const first = await rawBridgeCall(tab, { method: "GetToken", clientId: emulator.clientId });
  expect(first).not.toBe("timeout");
  if (first === "timeout") return;
  expect(first.success).toBe(false);
  expect(first.error?.status).toBe("TRANSIENT_ERROR");
  expect(Number(first.error?.properties?.retryAfterMs)).toBeGreaterThan(0);
  const throttledAt = (await emulator.tokenPosts(before))[0]!.time;

  const other = await browser.openApp(otherAppUrl);
  const [viaBridge, viaMsal] = await Promise.all([rawBridgeCall(tab, { method: "GetToken", clientId: emulator.clientId }), appSilent(other)]);
  expect(viaBridge !== "timeout" && viaBridge.error?.status).toBe("TRANSIENT_ERROR");
  expect(viaMsal.ok).toBe(false);
  expect((await emulator.tokenPosts(before)).length).toBe(1);

  await sleep(3200);
  const later = await rawBridgeCall(tab, { method: "GetToken", clientId: emulator.clientId });
  expect(later !== "timeout" && later.success, JSON.stringify(later)).toBe(true);
  const posts = await emulator.tokenPosts(before);
  expect(posts.map((p) => p.status)).toEqual([429, 200]);
  expect(posts[1]!.time - throttledAt).toBeGreaterThanOrEqual(3000);
  await other.close();
}
