/**
 * Abuse by a permitted page contained (issue 22): a granted page looping through distinct scope sets
 * is slowed by its per-origin budget (12 distinct scope sets per minute) — answered TRANSIENT_ERROR
 * `over_budget` with its wait, its asks over the budget never reaching the IdP (the emulator's log) —
 * and flagged in the popup with its numbers and a one-click "Remove this site"; another granted site
 * keeps getting tokens throughout. The budgets are a setting (`originBudgets` in storage.local): changed,
 * it applies from the next ask without a rebuild; removed, the defaults are back.
 */
import { expect, test, type Page, type Worker } from "@playwright/test";
import { seriousAxeViolations } from "../support/axe.js";
import { openExtensionPage } from "../support/extension-browser.js";
import { appSilent, rawBridgeCall, type BridgeReply } from "../support/extension-page-calls.js";
import { startSignedIn, stopAll, type ExtensionStack } from "../support/extension-stack.js";

test.describe.configure({ mode: "serial" });

/** DEFAULT_BUDGET_LIMITS.scopeSetsPerMinute (shared/resilience/origin-budget.ts). */
const SCOPE_SETS_PER_MINUTE = 12;
const LOOP = 40;

let s: ExtensionStack;
let looper: Page;
let other: Page;

test.beforeAll(async () => {
  const { tab, ...stack } = await startSignedIn(2);
  s = stack;
  looper = tab;
  // The looping site may ask for any scope: only its budget stands between the loop and the IdP.
  await s.browser.send({ kind: "addGrant", grant: { origin: s.origins[0]!.origin, clientIds: [s.emulator.clientId], scopes: ["*"] } });
  other = await s.browser.openApp(s.appUrl(1));
});

test.afterAll(async () => {
  await stopAll(s ?? {});
});

test("a page looping through distinct scope sets is slowed and flagged; another granted site keeps getting tokens", async () => {
  const before = await s.emulator.lastSeq();
  const replies: Array<BridgeReply | "timeout"> = [];
  const otherServed: boolean[] = [];
  for (let i = 0; i < LOOP; i++) {
    replies.push(await rawBridgeCall(looper, { method: "GetToken", clientId: s.emulator.clientId, scope: `api://demo/Loop${i}.Read openid profile offline_access` }));
    if (i % 10 === 9) otherServed.push((await appSilent(other)).ok);
  }
  const codes = replies.map((r) => (r === "timeout" ? "timeout" : r.success ? "token" : `${r.error?.status}:${String(r.error?.properties?.code)}`));
  // The sets within the budget were the broker's to try (the IdP refuses these made-up scopes); the
  // sign-in of beforeAll asked this origin's first set (User.Read) this minute. Every later one is
  // refused by the budget, as a retryable wait.
  const tried = SCOPE_SETS_PER_MINUTE - 1;
  expect(codes.slice(0, tried), JSON.stringify(codes)).toEqual(Array(tried).fill("PERSISTENT_ERROR:idp_error"));
  expect(new Set(codes.slice(tried)), JSON.stringify(codes)).toEqual(new Set(["TRANSIENT_ERROR:over_budget"]));
  const waits = replies.slice(tried).map((r) => (r === "timeout" ? 0 : Number(r.error?.properties?.retryAfterMs)));
  expect(waits.every((w) => w > 0 && w <= 60_000), JSON.stringify(waits)).toBe(true);
  expect(otherServed).toEqual([true, true, true, true]);

  // The IdP's log: only the asks within the budget reached it, one refresh-token grant each.
  const grants = await s.emulator.tokenPosts(before);
  expect(grants.map((g) => `${g.grantType}:${g.error}`)).toEqual(Array(tried).fill("refresh_token:invalid_scope"));
  expect(await s.emulator.requests({ since: before, endpoint: "authorize" })).toEqual([]);

  // The popup flags the looping site with its numbers; the well-behaved one is not flagged.
  const popup = await openExtensionPage(s.browser.context, "popup.html");
  const flagged = popup.getByTestId("over-budget-site");
  await expect(flagged).toHaveCount(1);
  await expect(flagged).toHaveAttribute("data-origin", s.origins[0]!.origin);
  await expect(flagged).toHaveAttribute("data-budget", "scope_sets_per_minute");
  await expect(flagged).toHaveAttribute("data-count", String(LOOP + 1));
  await expect(flagged).toContainText(`asked for ${LOOP + 1} different sets of permissions in one minute (its budget is ${SCOPE_SETS_PER_MINUTE})`);
  expect(await seriousAxeViolations(popup), "axe with a site flagged").toEqual([]);

  // One click removes the site: its grant is gone, its pages get nothing more; the other site is served.
  await popup.getByTestId("over-budget-remove").click();
  await expect(popup.getByTestId("over-budget-message")).toHaveText(`Removed ${s.origins[0]!.origin}.`);
  await expect(popup.getByTestId("over-budget-site")).toHaveCount(0);
  const grantsLeft = await s.browser.send<Array<{ origin: string }>>({ kind: "listGrants" });
  expect(grantsLeft.map((g) => g.origin)).toEqual([s.origins[1]!.origin]);
  const afterRemoval = await rawBridgeCall(looper, { method: "GetToken", clientId: s.emulator.clientId, scope: "User.Read" });
  expect(afterRemoval !== "timeout" && !afterRemoval.success && afterRemoval.error?.status).toBe("DISABLED");
  expect((await appSilent(other)).ok).toBe(true);
  await popup.close();
});

/** Sets (or, with undefined, removes) the originBudgets setting; resolves once the worker has seen the change (its listener was added first). */
function setBudgetsSetting(worker: Worker, value: Record<string, unknown> | undefined): Promise<void> {
  return worker.evaluate(
    (value) =>
      new Promise<void>((resolve) => {
        const seen = () => {
          chrome.storage.local.onChanged.removeListener(seen);
          resolve();
        };
        chrome.storage.local.onChanged.addListener(seen);
        void (value === undefined ? chrome.storage.local.remove("originBudgets") : chrome.storage.local.set({ originBudgets: value }));
      }),
    value,
  );
}

test("the originBudgets setting changes a budget without a rebuild; removed, the default is back", async () => {
  const worker = await s.browser.worker();
  const before = await s.emulator.lastSeq();
  const forced = async () => {
    const reply = await rawBridgeCall(other, { method: "GetToken", clientId: s.emulator.clientId, scope: "User.Read", forceRefresh: true });
    return reply === "timeout" ? "timeout" : reply.success ? "token" : `${reply.error?.status}:${String(reply.error?.properties?.code)}`;
  };
  await setBudgetsSetting(worker, { forcedRefreshesPerMinute: 1 });
  try {
    expect([await forced(), await forced()]).toEqual(["token", "TRANSIENT_ERROR:over_budget"]);
    // Out of bounds means the default (300 per minute): the third forced refresh in the minute is served.
    await setBudgetsSetting(worker, { forcedRefreshesPerMinute: 0 });
    expect(await forced()).toBe("token");
  } finally {
    await setBudgetsSetting(worker, undefined);
  }
  // The IdP's log: the refused one never reached it.
  expect((await s.emulator.tokenPosts(before, "refresh_token")).map((g) => g.error ?? "ok")).toEqual(["ok", "ok"]);
});
