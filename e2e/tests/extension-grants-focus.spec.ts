/**
 * Where focus goes after Remove in the grants panel (issue 10), in the popup and in the options page,
 * in real Chromium: to the Remove button that took the removed site's place (or the one before it),
 * and to the origin field once no site is left — never <body>.
 *
 * The panel polls its list every 2 s. Each removeGrant here is held until one poll has answered with
 * the list that still shows the site (a worker busy re-registering content scripts does this for
 * real), so the race a user can meet happens every time: a page that moves focus on that stale list
 * leaves it on the button about to disappear, and focus falls to <body>.
 */
import { expect, test, type Page } from "@playwright/test";
import type { Grant } from "../../extension/protocol/views.js";
import { EmulatorHandle } from "../support/extension-emulator.js";
import { ExtensionBrowser } from "../support/extension-browser.js";

const SITES = ["http://localhost:9001", "http://localhost:9002", "http://localhost:9003"];

let emulator: EmulatorHandle;
let browser: ExtensionBrowser;

test.beforeAll(async () => {
  emulator = await EmulatorHandle.start();
  browser = await new ExtensionBrowser(emulator).launch();
  await browser.configure([]);
  // Pages opened with ?slow-remove: removeGrant waits until a listGrants poll has come back meanwhile.
  await browser.context.addInitScript(() => {
    if (!location.search.includes("slow-remove")) return;
    const send = chrome.runtime.sendMessage.bind(chrome.runtime) as (m: unknown) => Promise<unknown>;
    let pollSeen: (() => void) | undefined;
    (chrome.runtime as unknown as { sendMessage: (m: unknown) => Promise<unknown> }).sendMessage = async (m) => {
      const kind = (m as { kind?: string }).kind;
      if (kind === "removeGrant") {
        await new Promise<void>((resolve) => (pollSeen = resolve));
        await new Promise((rendered) => setTimeout(rendered, 200)); // React has rendered the stale list.
        return send(m);
      }
      const answer = await send(m);
      if (kind === "listGrants") pollSeen?.();
      return answer;
    };
  });
});

test.afterAll(async () => {
  await browser?.close();
  await emulator?.close();
});

async function grantAll(): Promise<void> {
  for (const g of await browser.send<Grant[]>({ kind: "listGrants" })) await browser.send({ kind: "removeGrant", origin: g.origin });
  for (const origin of SITES) await browser.send({ kind: "addGrant", grant: { origin, clientIds: [] } });
}

/** The focused element: its testid and the site of its row, "BODY" when focus was lost. */
function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return "BODY";
    const site = el.closest("li[data-origin]")?.getAttribute("data-origin");
    return `${el.getAttribute("data-testid") ?? el.tagName}${site ? ` ${site}` : ""}`;
  });
}

/** The sites in the order the panel lists them. */
function listed(page: Page): Promise<string[]> {
  return page.getByTestId("grant-item").evaluateAll((items) => items.map((li) => li.getAttribute("data-origin") ?? ""));
}

/** Removes the site by its Remove button; focus must then be on `expected` (and was never left on <body>). */
async function removeExpectingFocus(page: Page, origin: string, expected: string): Promise<void> {
  await page.getByRole("button", { name: `Remove ${origin}` }).click();
  await expect(page.locator(`li[data-origin="${origin}"]`)).toHaveCount(0);
  await expect(page.getByTestId("grant-message")).toHaveText(`Removed ${origin}.`);
  await expect.poll(() => focused(page), { message: `focus after removing ${origin}` }).toBe(expected);
}

for (const name of ["options.html", "popup.html"] as const) {
  test(`${name}: after Remove, focus is on the next Remove, then the previous one, then the origin field — never <body>`, async () => {
    await grantAll();
    const page = await browser.context.newPage();
    await page.goto(`${browser.pageUrl(name)}?slow-remove`);
    await expect(page.getByTestId("grant-item")).toHaveCount(SITES.length);
    const [first, second, third] = await listed(page);

    // The first site: its place goes to the second one, whose Remove takes focus.
    await removeExpectingFocus(page, first!, `grant-remove ${second}`);
    // The last site: nothing follows, so the one before it.
    await removeExpectingFocus(page, third!, `grant-remove ${second}`);
    // The only site: the list is empty, so the field to allow a new one.
    await removeExpectingFocus(page, second!, "grant-origin-input");
    await expect(page.getByText("No site is allowed yet.")).toBeVisible();
    await page.close();
  });
}
