/**
 * The demo's last step: the extension's popup in each state a user meets (issue 10 item 4), pictured
 * for the report — backing off (a short 5xx window), throttled (a 429 with Retry-After), needs
 * sign-in (the user's sessions revoked) and signed out — each made real against the emulator and
 * confirmed through the popup's own `status-summary` before it is pictured.
 */
import { fillLogin } from "../support/extension-browser.js";
import { byTestId, click, countOf, inPage, screenshotOf, textOf, waitForSelector, waitUntil, type Page } from "./demo-browser.js";
import type { StatusState } from "../../extension/protocol/status-summary.js";
import type { DemoContext, Step } from "./demo-context.js";
import { acquire } from "./shell-tab.js";

const ADELE = "adele@contoso.test";
const ALEX = "alex@contoso.test";

/** The toolbar popup's largest size (Chrome caps popups at 800 × 600; ours stays ≤ 400 wide). */
const POPUP_VIEWPORT = { width: 400, height: 600 };

/** Waits until the popup shows `state`; true when it did within `timeout`. */
function reached(popup: Page, state: StatusState, timeout = 20_000): Promise<boolean> {
  return waitForSelector(popup, `${byTestId("status-summary")}[data-state="${state}"]`, { timeout });
}

/** Pictures the popup (only its own box, as the toolbar shows it) with its sentence as the caption. */
async function picture(ctx: DemoContext, popup: Page, label: string): Promise<string> {
  const sentence = ((await textOf(popup, byTestId("status-sentence"))) ?? "").trim();
  ctx.screenshots.push({ caption: `Popup — ${label}: “${sentence}”`, pngBase64: await screenshotOf(popup, "body") });
  return sentence;
}

/**
 * The two-accounts picture (issue 10 item 1): while Adele is signed in, Alex is added through
 * `account-add` (the sign-in window opens with prompt=select_account), the popup lists both and is
 * pictured; then Alex is signed out again through the popup, so Adele is the one account the next
 * states are about. Answers the picture's sentence, or undefined when the list never showed two.
 */
async function pictureTwoAccounts(ctx: DemoContext, popup: Page): Promise<string | undefined> {
  const window = ctx.browser.signInWindow();
  window.catch(() => undefined); // awaited below; a failed click must not leave it unhandled
  await click(popup, byTestId("account-add"));
  await fillLogin(await window, ALEX);
  const listed = (await waitUntil(() => alexIsActive(popup))) ? await countOf(popup, byTestId("account-item")) : 0;
  const sentence = listed === 2 ? await picture(ctx, popup, "two accounts") : undefined;
  // Back to one account: Alex (the active one, just added) signs out; Adele becomes active again.
  await inPage(popup, ([item, who]) => [...document.querySelectorAll(item!)].find((e) => e.textContent?.includes(who!))?.setAttribute("data-demo-target", ""), [byTestId("account-item"), ALEX]);
  await click(popup, `[data-demo-target] ${byTestId("sign-out")}`);
  await waitUntil(async () => !(await alexListed(popup)));
  return sentence;
}

/** Alex's row is in the account list. */
function alexListed(popup: Page): Promise<boolean> {
  return inPage(popup, ([item, who]) => [...document.querySelectorAll(item!)].some((e) => e.textContent?.includes(who!)), [byTestId("account-item"), ALEX]);
}

/** Alex's row is in the account list and is the active account. */
function alexIsActive(popup: Page): Promise<boolean> {
  return inPage(
    popup,
    ([item, who]) => [...document.querySelectorAll(item!)].some((e) => e.textContent?.includes(who!) && e.getAttribute("aria-current") === "true"),
    [byTestId("account-item"), ALEX],
  );
}

export const popupStates: Step = {
  title: "The extension's popup, read at a glance in each state",
  async run(ctx) {
    const tab = ctx.tabs[0]!;
    const popup = await ctx.browser.extensionPage("popup.html", POPUP_VIEWPORT);
    const seen: Array<[string, boolean, string]> = [];
    const shoot = async (label: string, state: StatusState, timeout?: number) => {
      const ok = await reached(popup, state, timeout);
      seen.push([label, ok, ok ? await picture(ctx, popup, label) : `(the popup did not reach ${state})`]);
      return ok;
    };
    const okFirst = await reached(popup, "ok");

    // Backing off: the token endpoint fails for a few seconds; a forced refresh opens the breaker.
    await ctx.control.setFault({ endpoint: "token", type: "status", status: 503, durationMs: 3_000 });
    await acquire(tab, { forceRefresh: true });
    await shoot("backing off", "backing_off");
    await reached(popup, "ok", 60_000); // the broker's own retry after the breaker's window

    // Throttled: one 429 with a short Retry-After.
    await ctx.control.setFault({ endpoint: "token", type: "status", status: 429, retryAfter: ctx.timing.retryAfterSeconds, count: 1 });
    await acquire(tab, { forceRefresh: true });
    await shoot("throttled", "throttled");
    await reached(popup, "ok", 60_000);

    const twoAccounts = await pictureTwoAccounts(ctx, popup);

    // Needs sign-in: the admin revokes the user's sessions; the next silent attempt learns it.
    await ctx.control.revoke(ADELE);
    await acquire(tab, { forceRefresh: true });
    await shoot("needs sign-in", "needs_sign_in");

    // Signed out: through the popup's own button.
    await click(popup, byTestId("sign-out"));
    await shoot("signed out", "signed_out");
    await popup.close();

    return {
      ok: okFirst && seen.every(([, ok]) => ok) && twoAccounts !== undefined,
      lines: [
        ...seen.map(([label, ok, sentence]) => `${ok ? "Pictured" : "NOT reached"}: ${label} — ${sentence}`),
        twoAccounts ? `Pictured: two accounts — ${twoAccounts}` : "NOT reached: two accounts (the popup did not list both).",
      ],
    };
  },
};
