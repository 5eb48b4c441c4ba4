/**
 * Fault matrix, storage cells (issue 12): IndexedDB unavailable, and IndexedDB over quota, injected
 * in the built extension's service worker (worker.evaluate replaces indexedDB.open, or makes every
 * object-store write throw QuotaExceededError, as a full disk does). fault-storage.spec.ts covers a
 * damaged store. Expected: a clear state (getStatus and the event log say so), pages answered with
 * an error at once, no IdP round trip whose result cannot be stored, no crash loop, no token to
 * anyone; once storage works again, one clean sign-in. The emulator's request log is the oracle.
 */
import { expect, test, type Page } from "@playwright/test";
import type { EmulatorHandle } from "../support/extension-emulator.js";
import { openExtensionPage, type ExtensionBrowser } from "../support/extension-browser.js";
import { appPopup, appSilent, rawBridgeCall } from "../support/extension-page-calls.js";
import { startSignedIn, stopAll, type ExtensionStack } from "../support/extension-stack.js";

test.describe.configure({ mode: "serial" });

let emulator: EmulatorHandle;
let browser: ExtensionBrowser;
let tab: Page;
let stack: ExtensionStack;
type Event = { at: number; type: string; message: string; detail?: Record<string, unknown> };

test.beforeAll(async () => {
  ({ tab, ...stack } = await startSignedIn());
  ({ emulator, browser } = stack);
});

test.afterAll(async () => {
  await stopAll(stack ?? {});
});

/** getStatus as the popup asks for it: the raw BrokerResponse. */
async function status(): Promise<{ ok: boolean; error?: { code: string; message: string } }> {
  const popup = await openExtensionPage(browser.context, "popup.html");
  const reply = (await popup.evaluate(() => chrome.runtime.sendMessage({ kind: "getStatus" }))) as { ok: boolean; error?: { code: string; message: string } };
  await popup.close();
  return reply;
}

/** The broker's connection lets go (another opener deletes the database): the next request opens the store again. */
async function dropConnection(): Promise<void> {
  const worker = await browser.worker();
  await worker.evaluate(
    () =>
      new Promise<void>((resolve, reject) => {
        const del = indexedDB.deleteDatabase("rtb-broker");
        del.onsuccess = () => resolve();
        del.onerror = () => reject(del.error);
      }),
  );
}

/** While storage is broken: every ask answered with an error at once, nothing sent to the IdP, no token. */
async function expectClearFailure(since: number, startedAt: number): Promise<void> {
  const replies = await Promise.all([
    rawBridgeCall(tab, { method: "GetToken", clientId: emulator.clientId }, 15_000),
    rawBridgeCall(tab, { method: "GetToken", clientId: emulator.clientId, forceRefresh: true }, 15_000),
    rawBridgeCall(tab, { method: "GetTokenPopup", clientId: emulator.clientId }, 15_000),
  ]);
  for (const reply of replies) {
    expect(reply, "answered, not left waiting").not.toBe("timeout");
    if (reply === "timeout") continue;
    expect(reply.success, JSON.stringify(reply)).toBe(false);
    expect(reply.error?.status).toBe("PERSISTENT_ERROR");
    expect(reply.token).toBeUndefined();
  }
  const msal = await appSilent(tab);
  expect(msal.ok).toBe(false);
  const state = await status();
  expect(state.ok).toBe(false);
  expect(state.error?.code).toBe("storage_error");
  expect(state.error?.message).toMatch(/token store cannot be used/i);
  // No IdP round trip (no refresh, no prompt=none, no window) whose result could not be stored.
  expect(await emulator.requests({ since })).toEqual([]);
  const events = await browser.send<Event[]>({ kind: "getEvents", limit: 200 });
  const recent = events.filter((e) => e.at >= startedAt);
  expect(recent.some((e) => e.type === "naa.error" && e.detail?.code === "storage_error")).toBe(true);
  // No crash loop: the worker did not restart over and over.
  expect(recent.filter((e) => e.type === "worker.start")).toEqual([]);
}

/** Storage works again: one sign-in at most, then cache hits with nothing sent. */
async function expectCleanSignIn(since: number): Promise<void> {
  let result = await appSilent(tab);
  if (!result.ok) [result] = await Promise.all([appPopup(tab), browser.completeSignIn()]);
  expect(result.ok, JSON.stringify(result)).toBe(true);
  const windows = (await emulator.requests({ since, endpoint: "authorize", method: "GET" })).filter((r) => r.prompt !== "none");
  expect(windows.length).toBeLessThanOrEqual(1);
  expect((await emulator.tokenPosts(since, "authorization_code")).map((g) => g.status)).toEqual([200]);
  const quiet = await emulator.lastSeq();
  expect((await appSilent(tab)).ok).toBe(true);
  expect(await emulator.requests({ since: quiet })).toEqual([]);
  expect((await status()).ok).toBe(true);
}

test("storage: IndexedDB unavailable → a clear storage_error state, pages answered at once, nothing sent; back → one clean sign-in", async () => {
  const startedAt = Date.now();
  const worker = await browser.worker();
  await worker.evaluate(() => {
    const scope = self as unknown as { __realOpen?: IDBFactory["open"] };
    scope.__realOpen = indexedDB.open.bind(indexedDB);
    indexedDB.open = () => {
      throw new DOMException("IndexedDB is not available in this profile", "InvalidStateError");
    };
  });
  await dropConnection();
  const since = await emulator.lastSeq();
  await expectClearFailure(since, startedAt);

  await worker.evaluate(() => {
    const scope = self as unknown as { __realOpen: IDBFactory["open"] };
    indexedDB.open = scope.__realOpen;
  });
  await expectCleanSignIn(since);
});

test("storage: over quota after the store opened → at most the one IdP round trip that found it, then storage_error without the IdP; space back → one clean sign-in", async () => {
  const startedAt = Date.now();
  const since = await emulator.lastSeq();
  const worker = await browser.worker();
  await worker.evaluate(() => {
    const proto = IDBObjectStore.prototype as unknown as { put: IDBObjectStore["put"]; __realPut?: IDBObjectStore["put"] };
    proto.__realPut = proto.put;
    proto.put = function () {
      throw new DOMException("The quota has been exceeded.", "QuotaExceededError");
    };
  });
  // The store is open and proved itself: the first refresh learns of the full disk only when its
  // result cannot be written. It must be the only one: forced refreshes (3 per 15 s allowed) and
  // plain asks after it are answered without the IdP. A token still in memory may be served to
  // this granted page; what is refused is spending IdP round trips that cannot be kept.
  const replies = [];
  for (let i = 0; i < 4; i++) replies.push(await rawBridgeCall(tab, { method: "GetToken", clientId: emulator.clientId, forceRefresh: true }, 15_000));
  replies.push(await rawBridgeCall(tab, { method: "GetToken", clientId: emulator.clientId }, 15_000));
  for (const reply of replies) expect(reply, "answered, not left waiting").not.toBe("timeout");
  const grants = await emulator.tokenPosts(since);
  expect(grants.length, JSON.stringify(grants.map((g) => [g.grantType, g.status]))).toBeLessThanOrEqual(1);
  const state = await status();
  expect(state.ok, "getStatus tells the popup the store cannot be used").toBe(false);
  expect(state.error?.code).toBe("storage_error");
  const events = await browser.send<Event[]>({ kind: "getEvents", limit: 200 });
  expect(events.filter((e) => e.at >= startedAt && e.type === "worker.start")).toEqual([]);
  const afterFirst = await emulator.lastSeq();
  await expectClearFailure(afterFirst, startedAt);
  expect(events.some((e) => e.at >= startedAt && e.type === "storage.write_failed")).toBe(true);

  await worker.evaluate(() => {
    const proto = IDBObjectStore.prototype as unknown as { put: IDBObjectStore["put"]; __realPut: IDBObjectStore["put"] };
    proto.put = proto.__realPut;
  });
  await expectCleanSignIn(afterFirst);
});
