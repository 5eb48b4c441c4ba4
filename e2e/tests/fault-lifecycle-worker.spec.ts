/**
 * Lifecycle cells of the fault matrix (issue 12): the service worker dies mid-sign-in (the window is
 * open), mid-refresh with the emulator in its strict mode (family revocation on reuse), and twice in a
 * row on the same held refresh (issue 22). The worker killed while idle and mid-refresh in the default
 * mode are extension-resilience.spec.ts 4a and 4b.
 */
import { expect, test, type Page } from "@playwright/test";
import { appPopup, appSilent, rawBridgeCall } from "../support/extension-page-calls.js";
import { sleep, startSignedIn, stopAll, watchSignInWindows, type ExtensionStack } from "./fault-lifecycle-support.js";

test.describe.configure({ mode: "serial" });

let l: ExtensionStack;
let tab: Page;

test.beforeAll(async () => {
  ({ tab, ...l } = await startSignedIn(1, false));
});

test.afterAll(async () => {
  await stopAll(l ?? {});
});

test("worker killed mid-sign-in: the page gets an answer, no second window, the next attempt works", async () => {
  const windows = watchSignInWindows(l.browser.context, l.emulator.url);
  const before = await l.emulator.lastSeq();
  const opened = l.browser.signInWindow();
  const pending = appPopup(tab);
  await opened;
  await l.browser.stopWorker();
  const answer = await pending;
  expect(answer.ok, "the interrupted sign-in is answered with an error").toBe(false);
  // The relay never resends a popup request: the window that was open is the only one.
  expect(windows).toHaveLength(1);
  const interactive = () => l.emulator.requests({ since: before, endpoint: "authorize", method: "GET" }).then((r) => r.filter((e) => e.prompt !== "none"));
  expect(await interactive()).toHaveLength(1);

  const [retried] = await Promise.all([appPopup(tab), l.browser.completeSignIn()]);
  expect(retried.ok, JSON.stringify(retried)).toBe(true);
  expect(windows).toHaveLength(2);
  expect(await interactive()).toHaveLength(2);
  const silent = await appSilent(tab);
  expect(silent.ok, JSON.stringify(silent)).toBe(true);
});

test("worker killed mid-refresh in the emulator's strict mode (revoke_family): no reuse trip, the family stays alive", async () => {
  await l.emulator.setSettings({ refreshTokenReuse: "revoke_family" });
  try {
    await l.emulator.setFault({ endpoint: "token", type: "latency", latencyMs: 2500, count: 1 });
    const before = await l.emulator.lastSeq();
    const started = Date.now();
    const inFlight = rawBridgeCall(tab, { method: "GetToken", clientId: l.emulator.clientId, forceRefresh: true });
    // Kill the worker while its refresh is held at the IdP: the worker's event log says when it left.
    const requestLeft = async () =>
      (await l.browser.send<Array<{ at: number; type: string }>>({ kind: "getEvents", limit: 20 })).some((e) => e.type === "refresh.redeem" && e.at >= started);
    for (let i = 0; i < 100 && !(await requestLeft()); i++) await sleep(50);
    expect(await requestLeft(), "precondition: the refresh request left before the kill").toBe(true);
    await sleep(300);
    await l.browser.stopWorker();
    const reply = await inFlight;
    expect(reply !== "timeout" && reply.success, JSON.stringify(reply)).toBe(true);
    await sleep(2700); // the held request's latency ends: it is answered (or dropped) and logged by then
    const posts = await l.emulator.tokenPosts(before);
    expect(posts.filter((p) => p.error), JSON.stringify(posts)).toEqual([]);
    expect(posts.filter((p) => p.grantType === "authorization_code")).toEqual([]);
    expect(await l.emulator.requests({ since: before, endpoint: "authorize" })).toEqual([]);
    // The family is alive: further refreshes are served by refresh-token grants, no code, no error.
    const after = await rawBridgeCall(tab, { method: "GetToken", clientId: l.emulator.clientId, forceRefresh: true });
    expect(after !== "timeout" && after.success, JSON.stringify(after)).toBe(true);
    const later = await l.emulator.tokenPosts(before);
    expect(later.filter((p) => p.error)).toEqual([]);
    expect(later.at(-1)?.grantType).toBe("refresh_token");
  } finally {
    await l.emulator.setSettings({ refreshTokenReuse: "allow" });
  }
});

test("worker killed twice while the same refresh is held at the IdP: the refresh token still serves, no sign-in even without an IdP session", async () => {
  const windows = watchSignInWindows(l.browser.context, l.emulator.url);
  // Both the first redemption and the new worker's in-doubt resend are held at the IdP (never answered).
  await l.emulator.setFault({ endpoint: "token", type: "hang", count: 2 });
  const before = await l.emulator.lastSeq();
  // A held request is logged when it arrives, before its body is read (so without its grant type).
  const heldPosts = async () => (await l.emulator.tokenPosts(before)).filter((p) => p.fault === "hang").length;
  const inFlight = rawBridgeCall(tab, { method: "GetToken", clientId: l.emulator.clientId, forceRefresh: true });
  // Kill the worker each time its redemption is held at the IdP. This precondition also fails when
  // the cell runs without the sign-in of the first one (`-g`): with no account the broker sends no
  // refresh, and its prompt=none is rightly answered login_required.
  for (const held of [1, 2]) {
    for (let i = 0; i < 200 && (await heldPosts()) < held; i++) await sleep(50);
    expect(await heldPosts(), `precondition: redemption ${held} is held at the IdP`).toBe(held);
    await l.browser.stopWorker();
  }
  // The relay resends a request once: after the second death the page is answered (an error is fine).
  expect(await inFlight).not.toBe("timeout");
  // No IdP session the broker's prompt=none could use (the login_required: ended, expired,
  // or not visible to the browser's auth flow). Entra still honours the refresh token, so the broker
  // must not need one.
  await l.emulator.expire("sessions");
  const forced = await rawBridgeCall(tab, { method: "GetToken", clientId: l.emulator.clientId, forceRefresh: true });
  expect(forced !== "timeout" && forced.success, JSON.stringify(forced)).toBe(true);
  const silent = await appSilent(tab);
  expect(silent.ok, JSON.stringify(silent)).toBe(true);
  // The IdP's log: the third worker resent the twice-interrupted refresh token and it was honoured;
  // no authorize (silent or not), no error answer, no window.
  const traffic = (await l.emulator.requests({ since: before })).map((e) => `${e.endpoint}:${e.prompt ?? e.grantType ?? e.fault}:${e.error ?? e.status}`);
  expect(traffic).toEqual(["token:hang:0", "token:hang:0", "token:refresh_token:200"]);
  expect(windows).toEqual([]);
});
