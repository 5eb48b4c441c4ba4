/**
 * The silent sign-in (`prompt=none`) in real Firefox while /authorize throttles or fails: the access
 * token and the refresh token have expired, so the chain reaches the silent authorize step. Firefox's
 * launchWebAuthFlow reports every failure alike, so the broker asks /authorize once more without
 * cookies (extension/broker/authorize-probe.ts) to tell "throttled" or "unavailable" from "sign-in
 * needed". The emulator's request log is the oracle: one flow and its probe, nothing inside the wait,
 * no sign-in window, and the account never marked "Sign-in needed".
 */
import { expect, test } from "@playwright/test";
import type { Page } from "puppeteer-core";
import { summarizeStatus } from "../../extension/protocol/status-summary.js";
import type { StatusView } from "../../extension/protocol/views.js";
import { inPage, rawBridgeCall, type BridgeReply } from "../support/extension-page-calls.js";
import { startSignedInWith, stopAll, type ExtensionStack } from "../support/extension-stack.js";
import { FirefoxExtensionBrowser } from "../support/firefox-browser.js";
import { attemptsOf, authorizeGateRemainingMs, reachPromptNone, silentAuthorizes } from "../support/prompt-none.js";

test.describe.configure({ mode: "serial" });

let stack: ExtensionStack<FirefoxExtensionBrowser>;
let tab: Page;
const RETRY_AFTER_S = 8;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const getToken = () => rawBridgeCall(tab, { method: "GetToken", clientId: stack.emulator.clientId }, 20_000);

function expectTransient(reply: BridgeReply | "timeout"): BridgeReply {
  expect(reply, "answered").not.toBe("timeout");
  const answered = reply as BridgeReply;
  expect(answered.success, JSON.stringify(answered)).toBe(false);
  expect(answered.error?.status, JSON.stringify(answered)).toBe("TRANSIENT_ERROR");
  return answered;
}

test.beforeAll(async () => {
  ({ tab, ...stack } = await startSignedInWith((emulator) => new FirefoxExtensionBrowser(emulator).launch()));
});

test.afterAll(async () => {
  await stopAll(stack ?? {});
});

test.afterEach(async () => {
  await stack.emulator.clearFaults();
});

test(`authorize 429 with Retry-After: ${RETRY_AFTER_S} during prompt=none: TRANSIENT_ERROR with the IdP's wait at once, no prompt=none inside it, no window, a token right after it`, async () => {
  const { emulator, browser } = stack;
  await reachPromptNone(stack, tab);
  const windows = browser.watchSignInWindows();
  const before = await emulator.lastSeq();
  await emulator.setFault({ endpoint: "authorize", type: "status", status: 429, retryAfter: RETRY_AFTER_S, durationMs: RETRY_AFTER_S * 1000 });
  const first = expectTransient(await getToken());
  // The probe read the 429's Retry-After: the page is told the IdP's own wait, not the backoff's 5 s.
  expect(Number(first.error?.properties?.retryAfterMs), JSON.stringify(first)).toBe(RETRY_AFTER_S * 1000);
  // More asks inside the wait are answered at once from the gate, without reaching the IdP.
  for (let i = 0; i < 3; i++) {
    await sleep(1000);
    expect(Number(expectTransient(await getToken()).error?.properties?.retryAfterMs)).toBeGreaterThan(0);
  }
  const silent = await silentAuthorizes(emulator, before);
  // One silent attempt inside the wait: the flow and its cookie-less probe, both answered 429.
  expect(attemptsOf(silent)).toHaveLength(1);
  expect(silent.map((s) => s.status), "the flow and the probe").toEqual([429, 429]);
  expect(await emulator.requests({ since: before, endpoint: "authorize", method: "GET" }), "no other authorize request").toHaveLength(silent.length);

  await sleep(await authorizeGateRemainingMs(browser));
  const after = await emulator.lastSeq();
  const token = await getToken();
  expect(token !== "timeout" && token.success, JSON.stringify(token)).toBe(true);
  const afterGate = await silentAuthorizes(emulator, after);
  expect(afterGate.map((s) => s.status), "one prompt=none brings the code").toEqual([302]);
  expect(windows.stop(), "no sign-in window").toBe(0);
  test.info().annotations.push({ type: "evidence", description: JSON.stringify({ inWindow: silent.map((s) => [s.time - silent[0]!.time, s.status, s.correlationId]), afterGate: afterGate.length }) });
});

test("authorize 503 during prompt=none: TRANSIENT_ERROR (idp_unavailable) with a wait, no window, the account not marked 'Sign-in needed'", async () => {
  const { emulator, browser } = stack;
  await reachPromptNone(stack, tab);
  const windows = browser.watchSignInWindows();
  const before = await emulator.lastSeq();
  await emulator.setFault({ endpoint: "authorize", type: "status", status: 503, durationMs: 4000 });
  const reply = expectTransient(await getToken());
  expect(reply.error?.code, JSON.stringify(reply)).toBe("idp_unavailable");
  expect(Number(reply.error?.properties?.retryAfterMs), JSON.stringify(reply)).toBeGreaterThan(0);
  const silent = await silentAuthorizes(emulator, before);
  expect(attemptsOf(silent)).toHaveLength(1);
  expect(silent.map((s) => s.status), "the flow and the probe").toEqual([503, 503]);

  // The broker's own status (what the popup and the badge show): waiting on the IdP, not "sign in again".
  const status = await browser.send<StatusView>({ kind: "getStatus" });
  expect(summarizeStatus(status, { now: Date.now() }).state).toBe("backing_off");
  const popup = await browser.extensionPage("popup.html");
  await popup.waitForSelector('[data-testid="account-item"]');
  const row = await inPage(popup, () => {
    const item = document.querySelector('[data-testid="account-item"]')!;
    return { needsSignIn: item.getAttribute("data-needs-sign-in"), text: item.textContent ?? "" };
  }, undefined);
  expect(row.needsSignIn).toBe("false");
  expect(row.text).not.toContain("Sign-in needed");
  await popup.close();
  expect(windows.stop(), "no sign-in window").toBe(0);
  test.info().annotations.push({ type: "evidence", description: JSON.stringify({ gets: silent.map((s) => [s.time - silent[0]!.time, s.status]), retryAfterMs: reply.error?.properties?.retryAfterMs }) });
});
