// The SPA shell, standalone: Sign out then Sign in must offer a choice of account (issue 10), not
// silently sign the same account back in from the IdP's session. The emulator's log is the oracle.
import { expect, test, type Browser } from "@playwright/test";
import type { EmulatorControl, TestEmulator } from "../kit/emulator/control-client.js";
import { startStandaloneShell, stopStandaloneShell, type StandaloneShell } from "../support/standalone-shell.js";

let emulator: TestEmulator;
let browser: Browser;
let shell: StandaloneShell;
let control: EmulatorControl;

test.beforeAll(async () => {
  shell = await startStandaloneShell();
  ({ emulator, browser } = shell);
  control = emulator.control;
});

test.afterAll(async () => {
  await stopStandaloneShell(shell);
});

test("standalone: Sign out then Sign in asks with prompt=select_account, and another user can sign in", async () => {
  const context = await browser.newContext({ ignoreHTTPSErrors: true });
  const page = await context.newPage();
  await page.goto(shell.shellUrl());

  const first = page.waitForEvent("popup");
  await page.getByTestId("shell-sign-in").click();
  const login = await first;
  await login.locator("input[name=username]").fill("adele@contoso.test");
  await login.locator("input[name=password]").fill("Passw0rd!");
  await login.locator("button[type=submit]").click();
  await expect(page.getByTestId("profile-name")).toHaveText("Adele Vance");

  await page.getByTestId("shell-sign-out").click();
  await expect(page.getByTestId("shell-sign-in")).toBeVisible();
  const before = await control.lastSeq();
  const second = page.waitForEvent("popup");
  await page.getByTestId("shell-sign-in").click();
  const picker = await second;
  // The IdP still has Adele's session, yet the window shows the sign-in form: a choice, not a silent return.
  await picker.locator("input[name=username]").waitFor();
  const asks = (await control.requests({ since: before, endpoint: "authorize" })).filter((r) => r.method === "GET");
  expect(asks.map((r) => r.prompt)).toEqual(["select_account"]);
  await picker.locator("input[name=username]").fill("alex@contoso.test");
  await picker.locator("input[name=password]").fill("Passw0rd!");
  await picker.locator("button[type=submit]").click();
  await expect(page.getByTestId("profile-name")).toHaveText("Alex Wilber");
  await context.close();
});
