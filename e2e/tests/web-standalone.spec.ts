// The SPA shell without the extension: standard MSAL flows (popup) against the emulator, wrapped by our core.
import { expect, test, type Browser, type Page } from "@playwright/test";
import type { EmulatorControl, TestEmulator } from "../kit/emulator/control-client.js";
import type { StaticSite } from "../demo/static-server.js";
import { startStandaloneShell, stopStandaloneShell, type StandaloneShell } from "../support/standalone-shell.js";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

let emulator: TestEmulator;
let site: StaticSite;
let browser: Browser;
let shell: StandaloneShell;
let control: EmulatorControl;

test.beforeAll(async () => {
  shell = await startStandaloneShell();
  ({ emulator, site, browser } = shell);
  control = emulator.control;
});

test.afterAll(async () => {
  await stopStandaloneShell(shell);
});

const shellUrl = () => shell.shellUrl();

async function signInWithPopup(page: Page, username: string): Promise<void> {
  const popupOpened = page.waitForEvent("popup");
  await page.getByTestId("shell-sign-in").click();
  const popup = await popupOpened;
  await popup.locator("input[name=username]").fill(username);
  await popup.locator("input[name=password]").fill("Passw0rd!");
  await popup.locator("button[type=submit]").click();
}

test("standalone: sign in via popup, profile from /v1.0/me, Admin panel for adele", async () => {
  const context = await browser.newContext({ ignoreHTTPSErrors: true });
  const page = await context.newPage();
  const loaded = await control.lastSeq();
  await page.goto(shellUrl());
  await expect(page.getByTestId("token-source")).toHaveText("standalone");
  await expect(page.getByTestId("shell-sign-in")).toBeEnabled();
  // Nothing was sent yet, so the panel does not claim the sign-in service is "healthy".
  await expect(page.getByTestId("breaker-state")).toHaveText("nothing sent to the sign-in service yet");
  expect(await control.requests({ since: loaded })).toEqual([]);

  const before = await control.lastSeq();
  await signInWithPopup(page, "adele@contoso.test");
  await expect(page.getByTestId("profile-name")).toHaveText("Adele Vance");
  await expect(page.getByTestId("breaker-state")).toHaveText("healthy");
  await expect(page.getByTestId("admin-panel")).toBeVisible();
  await expect(page.getByTestId("admin-roles")).toContainText("Admin");
  await expect(page.getByTestId("groups-overage")).toHaveCount(0);
  await expect(page.getByTestId("shell-error")).toHaveCount(0);

  const entries = await control.requests({ since: before });
  expect(entries.filter((e) => e.endpoint === "token" && e.grantType === "authorization_code" && e.status === 200)).toHaveLength(1);
  expect(entries.filter((e) => e.endpoint === "me" && e.status === 200).length).toBeGreaterThanOrEqual(1);
  // The roles came from the ID token: no UserInfo-style endpoint was called.
  expect(entries.filter((e) => /userinfo/i.test(e.endpoint) || /userinfo/i.test(e.path))).toHaveLength(0);

  // A second tab of the same origin is signed in silently from the shared cache: no popup, no sign-in.
  const mark = await control.lastSeq();
  const second = await context.newPage();
  let popups = 0;
  second.on("popup", () => popups++);
  await second.goto(shellUrl());
  await expect(second.getByTestId("profile-name")).toHaveText("Adele Vance");
  expect(popups).toBe(0);
  const later = await control.requests({ since: mark });
  expect(later.filter((e) => e.endpoint === "authorize" || e.grantType === "authorization_code")).toHaveLength(0);
  await context.close();
});

test("standalone: alex sees no Admin panel, and the groups-overage notice with the groups read from Graph", async () => {
  const context = await browser.newContext({ ignoreHTTPSErrors: true });
  const page = await context.newPage();
  await page.goto(shellUrl());
  await signInWithPopup(page, "alex@contoso.test");
  await expect(page.getByTestId("profile-name")).toHaveText("Alex Wilber");
  // The shell read alex's groups from Graph (one getMemberObjects call; graph-standalone.spec counts it).
  await expect(page.getByTestId("groups-overage")).toHaveAttribute("data-resolution", "resolved");
  await expect(page.getByTestId("groups-overage")).toContainText("250 were read from Microsoft Graph");
  await expect(page.getByTestId("admin-panel")).toHaveCount(0);
  await context.close();
});

test("standalone: a 429 on /v1.0/me pauses that host and says so in plain words", async () => {
  const context = await browser.newContext({ ignoreHTTPSErrors: true });
  const page = await context.newPage();
  await page.goto(shellUrl());
  await signInWithPopup(page, "adele@contoso.test");
  await expect(page.getByTestId("profile-name")).toHaveText("Adele Vance");

  await control.setFault({ endpoint: "me", type: "status", status: 429, retryAfter: 60, count: 1 });
  const mark = await control.lastSeq();
  await page.getByTestId("profile-reload").click();
  await expect(page.getByTestId("shell-error")).toHaveAttribute("data-code", "throttled");
  await expect(page.getByTestId("shell-error")).toContainText("slow down");
  await expect(page.getByTestId("throttle-state")).toContainText("resource ");
  // Inside the Retry-After window a second reload sends nothing to the host.
  await page.getByTestId("profile-reload").click();
  await expect(page.getByTestId("shell-error")).toHaveAttribute("data-code", "throttled");
  const me = (await control.requests({ since: mark })).filter((e) => e.endpoint === "me");
  expect(me).toHaveLength(1);
  expect(me[0]?.status).toBe(429);
  await context.close();
});

test("standalone: proactive refresh at refresh_in, one refresh for all tabs (Web Locks)", async () => {
  await control.setLifetimes({ refreshInSeconds: 8 });
  try {
    const context = await browser.newContext({ ignoreHTTPSErrors: true });
    const first = await context.newPage();
    await first.goto(shellUrl());
    await signInWithPopup(first, "adele@contoso.test");
    await expect(first.getByTestId("profile-name")).toHaveText("Adele Vance");
    const second = await context.newPage();
    await second.goto(shellUrl());
    await expect(second.getByTestId("profile-name")).toHaveText("Adele Vance");

    const nextAt = async (page: Page) => Number((await page.getByTestId("next-refresh").getAttribute("data-at")) || "0");
    const initial = await nextAt(first);
    expect(initial).toBeGreaterThan(0);
    expect(await nextAt(second)).toBe(initial);
    const mark = await control.lastSeq();

    // No page asks for anything: both tabs' timers fire at refreshOn; one refreshes, the other finds
    // the new token after the lock (from the refresh record in IndexedDB, which — unlike MSAL's per-tab
    // copy of its cache — cannot lag behind the lock), so both then wait for the new token's refreshOn.
    await expect.poll(() => nextAt(first), { timeout: 30_000 }).toBeGreaterThan(initial);
    await expect.poll(() => nextAt(second), { timeout: 30_000 }).toBeGreaterThan(initial);
    expect(await nextAt(second)).toBe(await nextAt(first));
    const refreshes = (await control.requests({ since: mark })).filter((e) => e.grantType === "refresh_token" && e.method === "POST");
    expect(refreshes).toHaveLength(1);
    expect(refreshes[0]?.status).toBe(200);
    await context.close();
  } finally {
    await control.setLifetimes({ refreshInSeconds: null });
  }
});

test("standalone: closing the sign-in window says so at once and Sign in works again", async () => {
  const context = await browser.newContext({ ignoreHTTPSErrors: true });
  const page = await context.newPage();
  await page.goto(shellUrl());
  const popupOpened = page.waitForEvent("popup");
  await page.getByTestId("shell-sign-in").click();
  const popup = await popupOpened;
  await popup.locator("input[name=username]").waitFor();
  await popup.close();
  // MSAL 5 alone would wait 60 s for its bridge and then report a generic timeout.
  await expect(page.getByTestId("shell-error")).toHaveAttribute("data-code", "user_cancelled");
  await expect(page.getByTestId("shell-error")).toContainText("window was closed");
  await expect(page.getByTestId("shell-sign-in")).toBeEnabled();
  // The abandoned attempt does not block the next one (interaction_in_progress).
  await signInWithPopup(page, "adele@contoso.test");
  await expect(page.getByTestId("profile-name")).toHaveText("Adele Vance");
  await context.close();
});

test("standalone: ?authority=not-a-url shows a sentence, not a blank page", async () => {
  const context = await browser.newContext({ ignoreHTTPSErrors: true });
  const page = await context.newPage();
  await page.goto(`${site.url}index.html?authority=not-a-url`);
  await expect(page.getByTestId("shell-error")).toContainText("not configured correctly");
  await expect(page.locator("h1")).toHaveCount(1);
  await context.close();
});

test("standalone: layout — fits 390 px, one h1, a Sign in that looks like a button, the tenant as a domain", async () => {
  const context = await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 390, height: 800 } });
  const page = await context.newPage();
  await page.goto(shellUrl());
  await expect(page.getByTestId("shell-sign-in")).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await expect(page.locator("h1")).toHaveCount(1);
  const colours = await page.getByTestId("shell-sign-in").evaluate((button) => ({
    button: getComputedStyle(button).backgroundColor,
    header: getComputedStyle(button.closest("header")!).backgroundColor,
  }));
  expect(colours.button).not.toBe(colours.header);
  await signInWithPopup(page, "adele@contoso.test");
  await expect(page.getByTestId("profile-name")).toHaveText("Adele Vance");
  await expect(page.getByTestId("admin-tenant")).toHaveText("contoso.test");
  await expect(page.getByTestId("tenant")).toHaveText("contoso.test");
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await context.close();
});

test("standalone: tokens are CAE tokens (cp1) — a revocation is noticed on the next profile load", async () => {
  const context = await browser.newContext({ ignoreHTTPSErrors: true });
  const page = await context.newPage();
  await page.goto(shellUrl());
  await signInWithPopup(page, "adele@contoso.test");
  await expect(page.getByTestId("profile-name")).toHaveText("Adele Vance");
  await control.revoke("adele@contoso.test");
  const mark = await control.lastSeq();
  await page.getByTestId("profile-reload").click();
  await expect(page.getByTestId("shell-error")).toBeVisible();
  const me = (await control.requests({ since: mark })).filter((e) => e.endpoint === "me");
  expect(me[0]?.status).toBe(401);
  await context.close();
});

test("the production build carries no test hooks; the --mode test build does", () => {
  const scripts = (dir: string) => readdirSync(join(dir, "assets")).filter((f) => f.endsWith(".js")).map((f) => readFileSync(join(dir, "assets", f), "utf8")).join("\n");
  expect(scripts("dist/web")).not.toContain("__authShell");
  expect(scripts("dist/web-test")).toContain("__authShell");
});
