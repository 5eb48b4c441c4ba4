/**
 * A scope outside a site's grant is the person's decision (issue 22): the page's ask is held, the
 * toolbar badge shows "?", and the popup names the site, the app's client ID and the scopes with
 * "Allow once", "Always allow" and "Deny". Nothing is granted silently: deny and an unanswered ask
 * (its wait shortened through the documented `scopeDecisionSeconds` setting) reach the page as
 * USER_CANCEL `scope_declined` with a sentence and send nothing to the IdP; "once" serves that ask
 * alone; "always" extends the grant. The emulator's request log is the oracle.
 */
import { expect, test, type Page } from "@playwright/test";
import { seriousAxeViolations } from "../support/axe.js";
import { openExtensionPage } from "../support/extension-browser.js";
import { rawBridgeCall, type BridgeReply } from "../support/extension-page-calls.js";
import { startSignedIn, stopAll, type ExtensionStack } from "../support/extension-stack.js";

test.describe.configure({ mode: "serial" });

/** Outside the grant (the default scopes, User.Read), consented at the emulator. */
const OUTSIDE = "api://demo/Data.Read";

let s: ExtensionStack;
let tab: Page;
let popup: Page;

test.beforeAll(async () => {
  ({ tab, ...s } = await startSignedIn());
  popup = await openExtensionPage(s.browser.context, "popup.html");
});

test.afterAll(async () => {
  await stopAll(s ?? {});
});

const askOutside = () => rawBridgeCall(tab, { method: "GetToken", clientId: s.emulator.clientId, scope: `${OUTSIDE} openid profile offline_access` }, 90_000);
const badgeText = async () => (await s.browser.worker()).evaluate(() => chrome.action.getBadgeText({}));
const grantScopes = async () => (await s.browser.send<Array<{ scopes?: string[] }>>({ kind: "listGrants" }))[0]!.scopes;

/** Waits for the popup's question and checks that it names the site, the client ID and the scope. */
async function questionShown(): Promise<void> {
  const question = popup.getByTestId("scope-question");
  await expect(question).toHaveCount(1);
  await expect(question).toContainText(`${s.origins[0]!.origin} asks for ${OUTSIDE} for the app ${s.emulator.clientId}.`);
  await expect.poll(badgeText).toBe("?");
}

function declined(reply: BridgeReply | "timeout"): string {
  expect(reply !== "timeout" && !reply.success, JSON.stringify(reply)).toBe(true);
  if (reply === "timeout") return "";
  expect(reply.error).toMatchObject({ status: "USER_CANCEL", code: "scope_declined" });
  return reply.error!.description ?? "";
}

test("deny: the page is told the person declined, nothing reaches the IdP, the grant is unchanged", async () => {
  const before = await s.emulator.lastSeq();
  const pending = askOutside();
  await questionShown();
  expect(await seriousAxeViolations(popup), "axe with a question open").toEqual([]);
  await popup.getByTestId("scope-deny").click();
  await expect(popup.getByTestId("scope-question-message")).toHaveText(`Refused ${s.origins[0]!.origin}'s request.`);
  expect(declined(await pending)).toContain("declined");
  expect(await s.emulator.requests({ since: before })).toEqual([]);
  expect(await grantScopes()).toBeUndefined();
  await expect.poll(badgeText).not.toBe("?");
});

test("unanswered: the ask fails when its (shortened) time is up, with a sentence; nothing reaches the IdP", async () => {
  const worker = await s.browser.worker();
  await worker.evaluate(() => chrome.storage.local.set({ scopeDecisionSeconds: 5 }));
  try {
    const before = await s.emulator.lastSeq();
    const pending = askOutside();
    await questionShown();
    expect(declined(await pending)).toContain("Nobody answered within 5 s");
    await expect(popup.getByTestId("scope-question")).toHaveCount(0);
    expect(await s.emulator.requests({ since: before })).toEqual([]);
    expect(await grantScopes()).toBeUndefined();
  } finally {
    await worker.evaluate(() => chrome.storage.local.remove("scopeDecisionSeconds"));
  }
});

test("allow once: this ask is served (one refresh-token grant for the scope), the next one is asked again", async () => {
  const before = await s.emulator.lastSeq();
  const pending = askOutside();
  await questionShown();
  await popup.getByTestId("scope-allow-once").click();
  const reply = await pending;
  expect(reply !== "timeout" && reply.success, JSON.stringify(reply)).toBe(true);
  const grants = await s.emulator.tokenPosts(before);
  expect(grants.map((g) => `${g.grantType}:${g.status}:${g.scope}`)).toEqual([`refresh_token:200:${OUTSIDE} openid profile offline_access`]);
  expect(await grantScopes()).toBeUndefined();
  // "Once" was this ask only: the same ask again is a new question (denied here).
  const again = askOutside();
  await questionShown();
  await popup.getByTestId("scope-deny").click();
  declined(await again);
  expect(await s.emulator.tokenPosts(before)).toHaveLength(1);
});

test("always allow: the grant gains the scope, and later asks for it are served without a question", async () => {
  const pending = askOutside();
  await questionShown();
  await popup.getByTestId("scope-allow-always").click();
  const reply = await pending;
  expect(reply !== "timeout" && reply.success, JSON.stringify(reply)).toBe(true);
  expect(await grantScopes()).toEqual(["User.Read", OUTSIDE]);
  const later = await askOutside();
  expect(later !== "timeout" && later.success, JSON.stringify(later)).toBe(true);
  expect(await s.browser.send({ kind: "getScopeQuestions" })).toEqual([]);
  await expect.poll(badgeText).not.toBe("?");
});
