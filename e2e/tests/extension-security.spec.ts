/**
 * What the extension refuses and what it never reveals: no bridge on ungranted origins, nothing for
 * forged messages or cross-origin iframes (scenario 9), no token text in IndexedDB (10), the popup and
 * options pages (11), and a fuzz of the bridge and the worker's message handler.
 */
import { expect, test, type Page } from "@playwright/test";
import { EmulatorHandle } from "../support/extension-emulator.js";
import { ExtensionBrowser, USERNAME } from "../support/extension-browser.js";
import { startFixtureServer, type FixtureServer } from "../support/extension-fixture-server.js";
import { fuzzBridgeInPage, fuzzWorkerFromExtensionPage } from "../support/extension-fuzz.js";
import { appPopup, appSilent, hasBridge, rawBridgeCall } from "../support/extension-page-calls.js";

test.describe.configure({ mode: "serial" });

let emulator: EmulatorHandle;
let granted: FixtureServer;
let ungranted: FixtureServer;
let browser: ExtensionBrowser;
let tab: Page;
let accessToken = "";
let idToken = "";
const NAA_STATUSES = ["USER_INTERACTION_REQUIRED", "USER_CANCEL", "NO_NETWORK", "TRANSIENT_ERROR", "PERSISTENT_ERROR", "DISABLED", "ACCOUNT_UNAVAILABLE", "NESTED_APP_AUTH_UNAVAILABLE"];
const appUrl = (f: FixtureServer) => f.appUrl({ authority: emulator.authority, clientId: emulator.clientId });

test.beforeAll(async () => {
  emulator = await EmulatorHandle.start();
  granted = await startFixtureServer();
  ungranted = await startFixtureServer();
  browser = await new ExtensionBrowser(emulator).launch();
  await browser.configure([granted.origin]);
  tab = await browser.openApp(appUrl(granted));
  const [signedIn] = await Promise.all([appPopup(tab), browser.completeSignIn()]);
  expect(signedIn.ok, JSON.stringify(signedIn)).toBe(true);
  const raw = await rawBridgeCall(tab, { method: "GetToken", clientId: emulator.clientId });
  if (raw === "timeout" || !raw.token) throw new Error("no token");
  accessToken = raw.token.access_token;
  idToken = (raw.token as { id_token?: string }).id_token ?? "";
});

test.afterAll(async () => {
  await browser?.close();
  await granted?.close();
  await ungranted?.close();
  await emulator?.close();
});

test("9: ungranted origins, forged relay messages and cross-origin iframes get nothing", async () => {
  // An ungranted origin has no bridge, so MSAL runs its standard flows there.
  const other = await browser.openApp(appUrl(ungranted));
  expect(await hasBridge(other)).toBe(false);
  expect(await other.evaluate(() => (window as unknown as { naaApp: { mode(): Promise<string> } }).naaApp.mode())).toBe("standard");
  await other.close();

  // A cross-origin iframe (127.0.0.1 ≠ localhost) inside the granted page: no bridge; its forged
  // envelope to the parent's relay is dropped (event.source !== window), only the page's own call is answered.
  const host = await browser.context.newPage();
  const loopback = await startFixtureServer("127.0.0.1");
  const childUrl = appUrl(loopback);
  await host.goto(`${granted.origin}/frame.html?src=${encodeURIComponent(childUrl)}`);
  await expect.poll(() => host.frames().some((f) => f.url().startsWith(loopback.origin))).toBe(true);
  const frame = host.frames().find((f) => f.url().startsWith(loopback.origin))!;
  await frame.waitForFunction(() => typeof (window as unknown as { naaApp?: unknown }).naaApp === "object");
  expect(await frame.evaluate(() => "nestedAppAuthBridge" in window)).toBe(false);
  expect(await hasBridge(host)).toBe(true);
  const responses = await host.evaluate(() => {
    const seen: string[] = [];
    window.addEventListener("message", (e) => {
      const d = e.data as { type?: string; response?: string };
      if (d?.type === "response" && typeof d.response === "string") seen.push(JSON.parse(d.response).requestId);
    });
    (window as unknown as { __seen: string[] }).__seen = seen;
    return seen.length;
  });
  expect(responses).toBe(0);
  await frame.evaluate((clientId) => {
    const request = JSON.stringify({ messageType: "NestedAppAuthRequest", method: "GetToken", requestId: "forged-from-iframe", tokenParams: { clientId, scope: "User.Read", correlationId: "c" } });
    window.parent.postMessage({ channel: "resilient-token-broker/naa", type: "request", request }, "*");
  }, emulator.clientId);
  const legit = await rawBridgeCall(host, { method: "GetToken", clientId: emulator.clientId });
  expect(legit !== "timeout" && legit.success).toBe(true);
  expect(await host.evaluate(() => (window as unknown as { __seen: string[] }).__seen.includes("forged-from-iframe"))).toBe(false);
  // The iframe's own MSAL (standard mode, no account) gets no token either.
  const inFrame = await frame.evaluate(() => (window as unknown as { naaApp: { silent(): Promise<{ ok: boolean }> } }).naaApp.silent());
  expect(inFrame.ok).toBe(false);
  await host.close();
  await loopback.close();
});

test("10: the raw IndexedDB contents (read in the worker) contain no token text", async () => {
  const worker = await browser.worker();
  const dump = await worker.evaluate(
    () =>
      new Promise<{ text: string; entries: number; keyExtractable: boolean }>((resolve, reject) => {
        const open = indexedDB.open("rtb-broker");
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const tx = db.transaction(["entries", "keys"], "readonly");
          const values = tx.objectStore("entries").getAll();
          const keys = tx.objectStore("entries").getAllKeys();
          const cryptoKey = tx.objectStore("keys").get("store-key");
          tx.oncomplete = () => {
            const latin1 = (b: ArrayBuffer | Uint8Array) => Array.from(new Uint8Array(b as ArrayBuffer), (c) => String.fromCharCode(c)).join("");
            const parts = (values.result as Array<{ iv: Uint8Array; data: ArrayBuffer }>).map((v) => `${JSON.stringify(Object.keys(v))}${latin1(v.iv)}${latin1(v.data)}`);
            resolve({ text: JSON.stringify(keys.result) + parts.join("|"), entries: values.result.length, keyExtractable: (cryptoKey.result as CryptoKey).extractable });
          };
        };
      }),
  );
  expect(dump.entries).toBeGreaterThan(3);
  expect(dump.keyExtractable).toBe(false);
  for (const secret of [accessToken, idToken, accessToken.split(".")[2]!, idToken.split(".")[1]!]) {
    expect(secret.length).toBeGreaterThan(10);
    expect(dump.text.includes(secret)).toBe(false);
  }
  expect(dump.text).not.toContain("eyJ"); // no JWT (header or payload) anywhere
  expect(dump.text).not.toContain(USERNAME);
});

test("fuzz: ≥ 1,000 malformed messages to the bridge and the worker; nothing crashes; a normal request works after", async () => {
  // A scope beyond the grant is a question for the person (issue 22), held until its wait ends: the
  // documented setting shortens the wait so the fuzzed asks are all answered inside this test.
  await (await browser.worker()).evaluate(() => chrome.storage.local.set({ scopeDecisionSeconds: 5 }));
  const page = await browser.openApp(appUrl(granted));
  await page.evaluate(() => {
    const got: Record<string, string> = {};
    (window as unknown as { __fuzzReplies: Record<string, string> }).__fuzzReplies = got;
    (window as unknown as { nestedAppAuthBridge: { addEventListener(n: string, cb: (r: string) => void): void } }).nestedAppAuthBridge.addEventListener("message", (r) => {
      try {
        const id = (JSON.parse(r) as { requestId?: string }).requestId;
        if (id) got[id] = r;
      } catch {
        got[`unparseable-${Object.keys(got).length}`] = r;
      }
    });
  });
  const { answerable, sent } = await page.evaluate(fuzzBridgeInPage, { count: 1200, seed: 7, clientId: emulator.clientId });
  expect(sent).toBe(1200);
  await page.waitForFunction((ids) => ids.every((id) => id in (window as unknown as { __fuzzReplies: Record<string, string> }).__fuzzReplies), answerable, { timeout: 30_000 });
  const replies = await page.evaluate(() => (window as unknown as { __fuzzReplies: Record<string, string> }).__fuzzReplies);
  for (const id of answerable) {
    const reply = JSON.parse(replies[id]!) as { messageType: string; requestId: string; success: boolean; error?: { status: string }; initContext?: unknown };
    expect(reply.messageType).toBe("NestedAppAuthResponse");
    expect(reply.requestId).toBe(id);
    if (reply.success) expect(reply.initContext).toBeTruthy();
    else expect(NAA_STATUSES).toContain(reply.error?.status);
  }
  // (Junk the page posts on the response channel reaches only its own listeners: it forged it.)

  const messenger = await browser.extensionMessenger();
  const { replies: workerReplies, portAnswers } = await messenger.evaluate(fuzzWorkerFromExtensionPage, { count: 1000, seed: 11 });
  expect(workerReplies).toHaveLength(1000);
  for (const reply of workerReplies as Array<{ ok: boolean; error?: { code: string } }>) {
    expect(typeof reply).toBe("object");
    if (!reply.ok) expect(typeof reply.error?.code).toBe("string");
  }
  expect(portAnswers.length).toBe(50);
  for (const answer of portAnswers) expect(JSON.parse(answer).error.status).toBe("DISABLED");

  // Still healthy: configuration intact, a normal token request through the bridge works.
  expect((await browser.send<{ authority: string }>({ kind: "getConfig" })).authority).toBe(emulator.authority);
  const after = await rawBridgeCall(page, { method: "GetToken", clientId: emulator.clientId });
  expect(after !== "timeout" && after.success, JSON.stringify(after)).toBe(true);
  await page.close();
});

test("11: popup and options pages — account, grants, cache status without token values, sign-out empties the cache", async () => {
  const options = await browser.context.newPage();
  await options.goto(browser.pageUrl("options.html"));
  await expect(options.getByTestId("config-authority")).toHaveValue(emulator.authority);
  await expect(options.getByTestId("config-client-id")).toHaveValue(emulator.clientId);
  await expect(options.getByTestId("config-scopes")).toHaveValue("User.Read");
  await expect(options.getByTestId("grant-list")).toContainText(granted.origin);
  await options.getByTestId("grant-origin-input").fill("http://localhost:1/");
  await options.getByTestId("grant-add").click();
  await expect(options.getByTestId("grant-list")).toContainText("http://localhost:1");
  await options.getByTestId("grant-list").locator("li", { hasText: "http://localhost:1" }).getByTestId("grant-remove").click();
  await expect(options.getByTestId("grant-list")).not.toContainText("http://localhost:1");
  await options.getByTestId("config-scopes").fill("User.Read api://demo/Data.Read");
  await options.getByTestId("config-save").click();
  await expect(options.getByTestId("config-message")).toHaveText(/Saved/);

  const popup = await browser.context.newPage();
  await popup.goto(browser.pageUrl("popup.html"));
  await expect(popup.getByTestId("account-name")).toContainText(USERNAME);
  await expect(popup.getByTestId("cache-status")).toContainText(/user\.read/i);
  await expect(popup.getByTestId("throttle-status")).toBeVisible();
  await expect(popup.getByTestId("event-log")).toContainText("naa.token");
  await expect(popup.getByTestId("grant-list")).toContainText(granted.origin);
  const html = await popup.content();
  expect(html.includes(accessToken)).toBe(false);
  expect(html.includes(idToken)).toBe(false);

  const before = await emulator.lastSeq();
  await popup.getByTestId("sign-out").click();
  await expect(popup.getByTestId("account-name")).toHaveText("Not signed in");
  await expect(popup.getByTestId("cache-status")).toHaveAttribute("data-entries", "0");
  await expect(popup.getByTestId("sign-in")).toBeVisible();
  expect((await emulator.requests({ since: before, endpoint: "logout" })).length).toBeGreaterThanOrEqual(1);
  // With the cache empty and the IdP session ended, a silent call needs interaction.
  const page = await browser.openApp(appUrl(granted));
  const silent = await appSilent(page);
  expect(silent.ok).toBe(false);
  await Promise.all([options.close(), popup.close(), page.close()]);
});
