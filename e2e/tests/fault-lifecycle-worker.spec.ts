/**
 * Lifecycle cells of the fault matrix (issue 12): the service worker dies mid-sign-in (the window is
 * open) and mid-refresh with the emulator in its strict mode (family revocation on reuse). The worker
 * killed while idle and mid-refresh in the default mode are extension-resilience.spec.ts 4a and 4b.
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
