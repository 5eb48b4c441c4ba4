/**
 * Fault cell "storage: the encrypted store's key record damaged", in real Chromium with the built
 * extension. The key record is overwritten with a non-key value through the service worker, and the
 * worker is stopped so the store is opened again from disk. Before the fix every GetToken ran
 * prompt=none plus a code redemption (both 200 at the IdP) and then answered storage_error, for
 * ever. Now the store is discarded once (one storage.reset event), the broker goes on clean, at most
 * one sign-in brings tokens back, and no redeemed code is thrown away. The emulator's log is the oracle.
 * Cell "storage: database at a higher version" (as after a downgrade) does the same with the
 * database upgraded under the running worker: it used to fail every request with a retryable
 * storage_error for ever. Cell "storage: database without its object stores" likewise.
 * Cell "storage: a record deleted" removes one encrypted record at a time (ID token, access token,
 * account, refresh token) and cell "storage: the key lost" the key record itself, each read back by
 * a fresh worker: a clear state, at most one clean sign-in, no token from what cannot be read.
 */
import { expect, test } from "@playwright/test";
import type { EmulatorHandle } from "../support/extension-emulator.js";
import { USERNAME, type ExtensionBrowser } from "../support/extension-browser.js";
import { appPopup, appSilent } from "../support/extension-page-calls.js";
import { deleteRecords, storedKeys } from "./fault-storage-support.js";
import { startSignedIn, stopAll, type ExtensionStack } from "../support/extension-stack.js";

test.describe.configure({ mode: "serial" });

let emulator: EmulatorHandle;
let browser: ExtensionBrowser;
let stack: ExtensionStack;

const appUrl = () => stack.appUrl();

test.beforeAll(async () => {
  stack = await startSignedIn();
  ({ emulator, browser } = stack);
});

test.afterAll(async () => {
  await stopAll(stack ?? {});
});

type Event = { at: number; type: string; message: string; detail?: Record<string, unknown> };

/** Runs a callback against the broker's IndexedDB database inside the service worker. */
async function inWorker(fn: () => Promise<boolean>): Promise<void> {
  const worker = await browser.worker();
  expect(await worker.evaluate(fn)).toBe(true);
}

/** The production popup's header state (status-summary), as a person would see it. */
async function expectPopupState(state: string): Promise<void> {
  const popup = await browser.context.newPage();
  await popup.goto(browser.pageUrl("popup.html"));
  await expect(popup.getByTestId("status-summary")).toHaveAttribute("data-state", state);
  await popup.close();
}

const eventsSince = async (at: number, type: string) => (await browser.send<Event[]>({ kind: "getEvents", limit: 200 })).filter((e) => e.type === type && e.at >= at);

/**
 * After the damage: the next silent request needs at most one sign-in, then tokens are served from
 * the store (a cache hit, nothing sent), exactly one code was redeemed and kept, and the one storage
 * event expected was emitted: a storage.reset with its reason, or (a lost key: nothing was damaged,
 * what the old key sealed just cannot be read) one storage.entry_dropped and no reset.
 * Returns the access token served (compared, never logged).
 */
async function expectCleanRecovery(before: number, startedAt: number, reason: string | { dropped: true }): Promise<string> {
  const page = await browser.openApp(appUrl());
  let result = await appSilent(page);
  let signIns = 0;
  if (!result.ok) {
    // The cache was discarded with what could not be read; the silent request may ask for a sign-in — once.
    expect(result.errorCode, JSON.stringify(result)).not.toMatch(/storage/i);
    [result] = await Promise.all([appPopup(page), browser.completeSignIn()]);
    signIns++;
  }
  expect(result.ok, JSON.stringify(result)).toBe(true);

  const afterRecovery = await emulator.lastSeq();
  const again = await appSilent(page);
  expect(again.ok, JSON.stringify(again)).toBe(true);
  expect(await emulator.requests({ since: afterRecovery })).toEqual([]);

  // No code redeemed and thrown away: one authorization_code grant (prompt=none or the one
  // sign-in), answered 200, and its tokens are the ones served above.
  const grants = await emulator.tokenPosts(before);
  expect(grants.map((g) => [g.grantType, g.status])).toEqual([["authorization_code", 200]]);
  const authorizes = await emulator.requests({ since: before, endpoint: "authorize" });
  expect(authorizes.length).toBeLessThanOrEqual(signIns + 1);

  const events = await browser.send<Event[]>({ kind: "getEvents", limit: 200 });
  const resets = events.filter((e) => e.type === "storage.reset" && e.at >= startedAt);
  expect(resets.map((e) => e.detail?.reason)).toEqual(typeof reason === "string" ? [reason] : []);
  if (typeof reason !== "string") expect(events.filter((e) => e.type === "storage.entry_dropped" && e.at >= startedAt)).toHaveLength(1);
  expect(JSON.stringify(events)).not.toContain(result.ok ? result.accessToken : "unreachable");
  await page.close();
  return result.ok ? result.accessToken : "";
}

test("storage: key record overwritten by a non-key → one reset event, at most one sign-in, no redeemed code thrown away", async () => {
  // Marked before the damage: a worker Chrome restarts at once after the stop below may open the
  // store (and emit its reset) before this test's next line runs.
  const before = await emulator.lastSeq();
  const startedAt = Date.now();
  await inWorker(
    () =>
      new Promise<boolean>((resolve, reject) => {
        const open = indexedDB.open("rtb-broker");
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const tx = db.transaction("keys", "readwrite");
          tx.objectStore("keys").put("not-a-key", "store-key");
          tx.oncomplete = () => {
            db.close();
            resolve(true);
          };
          tx.onerror = () => reject(tx.error);
        };
      }),
  );
  // The running worker holds the old key in memory: a fresh worker reads the damaged record from disk.
  await browser.stopWorker();
  await expectCleanRecovery(before, startedAt, "key_damaged");

  // A second worker start reads the repaired store: no further reset, still a cache hit. (Only resets
  // after this mark count: the event log persists in coalesced writes, and a worker stopped within
  // them loses its last events, the earlier reset among them — already asserted above.)
  const secondStart = Date.now();
  await browser.stopWorker();
  const afterRestart = await emulator.lastSeq();
  const third = await appSilent(await browser.openApp(appUrl()));
  expect(third.ok, JSON.stringify(third)).toBe(true);
  expect(await emulator.tokenPosts(afterRestart)).toEqual([]);
  const later = await browser.send<Event[]>({ kind: "getEvents", limit: 200 });
  expect(later.filter((e) => e.type === "storage.reset" && e.at >= secondStart)).toEqual([]);
  expect(later.some((e) => e.type === "worker.start" && e.at >= secondStart), "the second worker did start").toBe(true);
});

test("storage: database upgraded to a higher version without our stores, under the running worker → clean recovery", async () => {
  const startedAt = Date.now();
  // Resolves only once the broker's open connection lets go (before the fix it blocked this upgrade).
  await inWorker(
    () =>
      new Promise<boolean>((resolve, reject) => {
        const open = indexedDB.open("rtb-broker", 7);
        open.onupgradeneeded = () => {
          for (const name of Array.from(open.result.objectStoreNames)) open.result.deleteObjectStore(name);
          open.result.createObjectStore("from-a-newer-build");
        };
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          open.result.close();
          resolve(true);
        };
      }),
  );
  const before = await emulator.lastSeq();
  await expectCleanRecovery(before, startedAt, "version_mismatch");
});

test("storage: database at version 1 without its object stores → clean recovery", async () => {
  const startedAt = Date.now();
  // Delete (the broker's connection lets go) and recreate at version 1 with no stores: the upgrade
  // that would create them never runs again for this version. Both requests are queued at once:
  // IndexedDB runs them in order, so the broker's own reopen (it reopens as soon as its connection
  // is taken away) comes after ours instead of recreating the stores in between.
  await inWorker(
    () =>
      new Promise<boolean>((resolve, reject) => {
        const del = indexedDB.deleteDatabase("rtb-broker");
        del.onerror = () => reject(del.error);
        const open = indexedDB.open("rtb-broker", 1);
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const empty = open.result.objectStoreNames.length === 0;
          open.result.close();
          resolve(empty);
        };
      }),
  );
  const before = await emulator.lastSeq();
  await expectCleanRecovery(before, startedAt, "missing_stores");
});

/**
 * One kind at a time, in an order where each recovery writes the full set back for the next: the
 * popup's state with the record gone, and what the IdP sees for the next silent ask of a new page.
 */
const DELETED_RECORDS = [
  { prefix: "idt:", state: "ok", idp: [["token", "refresh_token", 200]] },
  { prefix: "at:", state: "ok", idp: [["token", "refresh_token", 200]] },
  { prefix: "acct:", state: "signed_out", idp: [["authorize", "none", 302], ["token", "authorization_code", 200]] },
  // The access token is still good: served with nothing sent. A forced refresh then finds no refresh token.
  { prefix: "rt:", state: "ok", idp: [] },
] as const;

const idpView = (entries: Awaited<ReturnType<EmulatorHandle["requests"]>>) =>
  entries.map((r) => [r.endpoint, r.endpoint === "token" ? r.grantType : (r.prompt ?? "window"), r.status]);

test("storage: a record deleted (ID token, access token, account, refresh token in turn) → a clear state, served again with one IdP round trip at most, no window", async () => {
  const startedAt = Date.now();
  for (const cell of DELETED_RECORDS) {
    const keys = await storedKeys(await browser.worker());
    for (const prefix of ["acct:", "idt:", "at:", "rt:"]) expect(keys.filter((k) => k.startsWith(prefix)), `${prefix} before deleting ${cell.prefix}`).toHaveLength(1);
    const before = await emulator.lastSeq();
    const stoppedAt = Date.now();
    expect(await deleteRecords(await browser.worker(), "entries", cell.prefix)).toBe(1);
    await browser.stopWorker();
    await expectPopupState(cell.state);

    const page = await browser.openApp(appUrl());
    const served = await appSilent(page);
    expect(served.ok, `${cell.prefix} ${JSON.stringify(served)}`).toBe(true);
    // A complete answer: before the fix, a lost ID token record failed MSAL (null_or_empty_token) for an hour.
    if (served.ok) expect(served.idTokenClaims.preferred_username, cell.prefix).toBe(USERNAME);
    expect(idpView(await emulator.requests({ since: before })), cell.prefix).toEqual(cell.idp);
    if (cell.prefix === "rt:") {
      const forcedFrom = await emulator.lastSeq();
      const forced = await appSilent(page, { forceRefresh: true });
      expect(forced.ok, JSON.stringify(forced)).toBe(true);
      expect(idpView(await emulator.requests({ since: forcedFrom }))).toEqual([["authorize", "none", 302], ["token", "authorization_code", 200]]);
    }
    // What the round trip brought was kept: the next ask is a cache hit.
    const afterRecovery = await emulator.lastSeq();
    const again = await appSilent(page);
    expect(again.ok, JSON.stringify(again)).toBe(true);
    expect(await emulator.requests({ since: afterRecovery }), cell.prefix).toEqual([]);
    await expectPopupState("ok");
    await page.close();
    expect(await eventsSince(stoppedAt, "worker.start"), `one worker start for ${cell.prefix}`).toHaveLength(1);
  }
  // A missing record is not damage: nothing was reset or dropped.
  expect(await eventsSince(startedAt, "storage.reset")).toEqual([]);
  expect(await eventsSince(startedAt, "storage.entry_dropped")).toEqual([]);
});

test("storage: the key lost (key record deleted) → signed out, no token from what it sealed, one clean sign-in, no reset loop", async () => {
  const holder = await browser.openApp(appUrl());
  const sealed = await appSilent(holder);
  expect(sealed.ok, JSON.stringify(sealed)).toBe(true);
  await holder.close();
  const before = await emulator.lastSeq();
  const startedAt = Date.now();
  expect(await deleteRecords(await browser.worker(), "keys", "store-key")).toBe(1);
  // The running worker holds the key in memory: a fresh worker finds it gone.
  await browser.stopWorker();
  await expectPopupState("signed_out");
  const served = await expectCleanRecovery(before, startedAt, { dropped: true });
  expect(served === (sealed.ok ? sealed.accessToken : ""), "no token sealed by the lost key is served").toBe(false);
  await expectPopupState("ok");
  expect(await eventsSince(startedAt, "worker.start"), "one worker start, no restart loop").toHaveLength(1);

  // The new key was kept: a second worker start reads everything, drops nothing, sends nothing.
  const secondStart = Date.now();
  await browser.stopWorker();
  const afterRestart = await emulator.lastSeq();
  const third = await appSilent(await browser.openApp(appUrl()));
  expect(third.ok, JSON.stringify(third)).toBe(true);
  expect(await emulator.requests({ since: afterRestart })).toEqual([]);
  expect(await eventsSince(secondStart, "storage.entry_dropped")).toEqual([]);
  expect(await eventsSince(secondStart, "worker.start")).toHaveLength(1);
});
