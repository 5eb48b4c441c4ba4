/**
 * Issue 10 item 6 for the SPA shell (dist/web-test: the demo app over createAuthShell, standalone).
 * axe-core finds no serious or critical violation in any state a user sees — signed out, a cancelled
 * sign-in, signed in as an Admin (profile, admin panel, status with an event log long enough to
 * scroll), a throttled profile load, a misconfigured page — in light and in dark mode; dark mode
 * really changes the colours (so a page that ignored it would fail); and sign-in, reload and sign-out
 * work by keyboard alone, focus landing on the control that replaced the pressed one, never <body>.
 */
import { expect, test, type Browser, type Page } from "@playwright/test";
import { seriousAxeViolations } from "../support/axe.js";
import { expectColourScheme } from "../support/color-scheme.js";
import type { TestEmulator } from "../kit/emulator/control-client.js";
import type { StaticSite } from "../demo/static-server.js";
import { startStandaloneShell, stopStandaloneShell, type StandaloneShell } from "../support/standalone-shell.js";

let emulator: TestEmulator;
let site: StaticSite;
let browser: Browser;
let shell: StandaloneShell;

test.beforeAll(async () => {
  shell = await startStandaloneShell();
  ({ emulator, site, browser } = shell);
});

test.afterAll(async () => {
  await stopStandaloneShell(shell);
});

const shellUrl = () => shell.shellUrl();

/** axe in light and dark mode, and the dark page is actually dark: light text on a dark background. */
async function expectAccessible(page: Page, state: string): Promise<void> {
  await expectColourScheme(page, "light", state);
  expect(await seriousAxeViolations(page), `axe (light) in ${state}`).toEqual([]);
  await expectColourScheme(page, "dark", state);
  expect(await seriousAxeViolations(page), `axe (dark) in ${state}`).toEqual([]);
  await page.emulateMedia({ colorScheme: "light" });
}

/** The focused element as a test can name it: its data-testid, else its tag (BODY = focus was lost). */
function focused(page: Page): Promise<string> {
  return page.evaluate(() => document.activeElement?.getAttribute("data-testid") ?? document.activeElement?.tagName ?? "none");
}

test("axe: signed out, sign-in cancelled, signed in as Admin, throttled, misconfigured — 0 serious/critical, light and dark", async () => {
  const context = await browser.newContext({ ignoreHTTPSErrors: true });
  const page = await context.newPage();
  await page.goto(shellUrl());
  await expect(page.getByTestId("shell-sign-in")).toBeVisible();
  await expectAccessible(page, "signed out");

  const cancelled = page.waitForEvent("popup");
  await page.getByTestId("shell-sign-in").click();
  const closedEarly = await cancelled;
  await closedEarly.locator("input[name=username]").waitFor();
  await closedEarly.close();
  await expect(page.getByTestId("shell-error")).toHaveAttribute("data-code", "user_cancelled");
  await expectAccessible(page, "sign-in cancelled");

  const opened = page.waitForEvent("popup");
  await page.getByTestId("shell-sign-in").click();
  const login = await opened;
  await login.locator("input[name=username]").fill("adele@contoso.test");
  await login.locator("input[name=password]").fill("Passw0rd!");
  await login.locator("button[type=submit]").click();
  await expect(page.getByTestId("profile-name")).toHaveText("Adele Vance");
  await expect(page.getByTestId("admin-panel")).toBeVisible();
  // axe's scrollable-region-focusable only applies once the event log overflows: grow it until it does.
  const log = page.getByTestId("shell-events");
  await log.evaluate(async (ol) => {
    for (let i = 0; i < 40 && ol.scrollHeight <= ol.clientHeight; i++) {
      await window.__authShell!.acquire({ forceRefresh: true });
      await new Promise((settled) => setTimeout(settled, 20)); // React re-renders the log after the shell's notify
    }
  });
  expect(await log.evaluate((ol) => ol.scrollHeight > ol.clientHeight), "the event log scrolls").toBe(true);
  await expectAccessible(page, "signed in as Admin, event log scrolling");

  await emulator.control.setFault({ endpoint: "me", type: "status", status: 429, retryAfter: 60, count: 1 });
  await page.getByTestId("profile-reload").click();
  await expect(page.getByTestId("shell-error")).toHaveAttribute("data-code", "throttled");
  await expectAccessible(page, "throttled");

  await page.goto(`${site.url}index.html?authority=not-a-url`);
  await expect(page.getByTestId("shell-error")).toContainText("not configured correctly");
  await expectAccessible(page, "misconfigured");
  await context.close();
});

test("keyboard: Tab/Enter signs in, reloads and signs out; focus follows to Sign out, stays on Reload, returns to Sign in", async () => {
  const context = await browser.newContext({ ignoreHTTPSErrors: true });
  const page = await context.newPage();
  await page.goto(shellUrl());
  // Enabled, not just visible: Enter on Sign in is ignored while the start-up silent attempt runs.
  await expect(page.getByTestId("shell-sign-in")).toBeEnabled();

  await page.keyboard.press("Tab");
  expect(await focused(page), "the first Tab stop").toBe("shell-sign-in");
  const opened = page.waitForEvent("popup");
  await page.keyboard.press("Enter");
  const login = await opened;
  await expect(login.locator("input[name=username]")).toBeFocused();
  await login.keyboard.type("adele@contoso.test");
  await login.keyboard.press("Tab");
  await login.keyboard.type("Passw0rd!");
  await login.keyboard.press("Enter");
  await expect(page.getByTestId("profile-name")).toHaveText("Adele Vance");
  // Sign in was removed from the page; focus goes to the Sign out that took its place.
  await expect.poll(() => focused(page), { message: "focus after Sign in" }).toBe("shell-sign-out");

  // Reload is unavailable while it loads, yet keeps focus (a disabled button would drop it to <body>).
  const profile = page.getByTestId("profile");
  const seq = Number(await profile.getAttribute("data-load-seq"));
  await page.keyboard.press("Tab");
  expect(await focused(page)).toBe("profile-reload");
  await page.keyboard.press("Enter");
  await expect(profile).toHaveAttribute("data-load-seq", String(seq + 1));
  await expect(profile).toHaveAttribute("data-load-status", "ok");
  expect(await focused(page), "focus after a keyboard reload").toBe("profile-reload");

  await page.keyboard.press("Shift+Tab");
  expect(await focused(page)).toBe("shell-sign-out");
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("shell-sign-in")).toBeVisible();
  await expect(page.getByTestId("profile-name")).toHaveCount(0);
  await expect.poll(() => focused(page), { message: "focus after Sign out" }).toBe("shell-sign-in");

  // A cancelled sign-in leaves focus on Sign in, ready to try again.
  const again = page.waitForEvent("popup");
  await page.keyboard.press("Enter");
  const picker = await again;
  await picker.locator("input[name=username]").waitFor();
  await picker.close();
  await expect(page.getByTestId("shell-error")).toHaveAttribute("data-code", "user_cancelled");
  expect(await focused(page), "focus after a cancelled sign-in").toBe("shell-sign-in");
  await context.close();
});
