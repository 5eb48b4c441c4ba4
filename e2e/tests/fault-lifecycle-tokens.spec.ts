/**
 * Lifecycle cells of the fault matrix (issue 12): the refresh token stops working — revoked, expired
 * (AADSTS700084) — while the IdP session lives (the broker goes back to the IdP silently, no window),
 * and then the session goes too with several tabs open (exactly one sign-in window serves them all).
 */
import { expect, test, type Page } from "@playwright/test";
import { appPopup, appSilent } from "../support/extension-page-calls.js";
import { expireAccessToken, startSignedIn, stopAll, watchSignInWindows, type ExtensionStack } from "./fault-lifecycle-support.js";

test.describe.configure({ mode: "serial" });

let l: ExtensionStack;
let tab: Page;

test.beforeAll(async () => {
  ({ tab, ...l } = await startSignedIn(2));
});

test.afterAll(async () => {
  await stopAll(l ?? {});
});

/** The IdP traffic since `before`, as "endpoint:grant-or-prompt:status" lines (an injected fault answers before the body is read: "token:<fault>"). */
async function traffic(before: number): Promise<string[]> {
  const entries = await l.emulator.requests({ since: before });
  return entries
    .filter((r) => (r.endpoint === "token" && r.method === "POST") || (r.endpoint === "authorize" && r.method === "GET"))
    .map((r) => (r.endpoint === "token" ? (r.fault ? `token:${r.fault}` : `token:${r.grantType}:${r.status}`) : `authorize:${r.prompt ?? "interactive"}`));
}

test("refresh token revoked (AADSTS50173) with the IdP session alive: prompt=none with the session, then served, no window", async () => {
  await expireAccessToken(l, tab);
  await l.emulator.setFault({
    endpoint: "token",
    type: "entra_error",
    error: "invalid_grant",
    aadsts: 50173,
    suberror: "bad_token",
    message: "The provided grant has expired due to it being revoked, a fresh auth token is needed.",
    count: 1,
  });
  const windows = watchSignInWindows(l.browser.context, l.emulator.url);
  const before = await l.emulator.lastSeq();
  const result = await appSilent(tab);
  expect(result.ok, JSON.stringify(result)).toBe(true);
  expect(await traffic(before)).toEqual(["token:entra_error:invalid_grant", "authorize:none", "token:authorization_code:200"]);
  expect(windows).toEqual([]);
});

test("refresh token expired (AADSTS700084) with the IdP session alive: silent prompt=none with the session, no window", async () => {
  await expireAccessToken(l, tab);
  await l.emulator.expire("refresh_tokens");
  const windows = watchSignInWindows(l.browser.context, l.emulator.url);
  const before = await l.emulator.lastSeq();
  const result = await appSilent(tab);
  expect(result.ok, JSON.stringify(result)).toBe(true);
  expect(await traffic(before)).toEqual(["token:refresh_token:400", "authorize:none", "token:authorization_code:200"]);
  const [expired] = await l.emulator.tokenPosts(before, "refresh_token");
  expect(expired?.error).toBe("invalid_grant");
  expect(windows).toEqual([]);
});

test("session also gone with several tabs open: exactly one sign-in window for all tabs, all served after", async () => {
  await expireAccessToken(l, tab);
  await l.emulator.revoke("adele@contoso.test"); // ends the IdP session and every refresh-token family
  const tabs = [tab, await l.browser.openApp(l.appUrl(0)), await l.browser.openApp(l.appUrl(1)), await l.browser.openApp(l.appUrl(1))];
  const windows = watchSignInWindows(l.browser.context, l.emulator.url);
  const before = await l.emulator.lastSeq();
  const silent = await Promise.all(tabs.map((t) => appSilent(t)));
  for (const r of silent) expect(r.ok, "silent calls need interaction now").toBe(false);
  expect(windows).toEqual([]);

  const [, ...results] = await Promise.all([l.browser.completeSignIn(), ...tabs.map((t) => appPopup(t))]);
  for (const r of results) expect(r.ok, JSON.stringify(r)).toBe(true);
  expect(windows).toHaveLength(1);
  const idp = await traffic(before);
  expect(idp.filter((e) => e === "authorize:interactive")).toHaveLength(1);
  expect(idp.filter((e) => e === "token:authorization_code:200")).toHaveLength(1);
  // Served after: every tab's silent call now comes from the new sign-in.
  for (const t of tabs) expect((await appSilent(t)).ok).toBe(true);
  expect(windows).toHaveLength(1);
});
