/**
 * Dark mode on the extension's own pages (issue 10), in real Chromium with the built extension: the
 * popup and the options page turn really dark under prefers-color-scheme: dark (background below 0.05
 * luminance, text above 0.7) and really light otherwise — axe alone would pass a page that ignored
 * the scheme — and axe finds no serious or critical violation on the options page in dark mode, with
 * a refusal, a grant row and the change notice on screen (the colours most likely to clash).
 */
import { expect, test, type Page } from "@playwright/test";
import { seriousAxeViolations } from "../support/axe.js";
import { expectColourScheme } from "../support/color-scheme.js";
import { EmulatorHandle } from "../support/extension-emulator.js";
import { ExtensionBrowser } from "../support/extension-browser.js";

let emulator: EmulatorHandle;
let browser: ExtensionBrowser;

test.beforeAll(async () => {
  emulator = await EmulatorHandle.start();
  browser = await new ExtensionBrowser(emulator).launch();
  await browser.configure(["http://localhost:9001"]);
});

test.afterAll(async () => {
  await browser?.close();
  await emulator?.close();
});

async function open(name: "popup.html" | "options.html"): Promise<Page> {
  const page = await browser.context.newPage();
  await page.goto(browser.pageUrl(name));
  await expect(page.getByTestId("grant-item")).toHaveCount(1); // Loaded: the worker has answered.
  return page;
}

test("popup: dark under prefers-color-scheme: dark, light otherwise", async () => {
  const popup = await open("popup.html");
  const light = await expectColourScheme(popup, "light", "popup");
  const dark = await expectColourScheme(popup, "dark", "popup");
  expect(dark.background).not.toBe(light.background);
  await expectColourScheme(popup, "light", "popup, back to light");
  await popup.close();
});

test("options: dark and light, and axe finds nothing serious in dark with a refusal, a grant and the change notice shown", async () => {
  const options = await open("options.html");
  await expect(options.getByTestId("config-loading")).toHaveCount(0);
  await expectColourScheme(options, "light", "options");
  await expectColourScheme(options, "dark", "options");

  // Error, notice and muted colours on screen: a refused grant row, a new (valid) client ID's notice.
  const row = options.getByTestId("grant-item");
  await row.getByTestId("grant-client-ids").fill("my-app");
  await row.getByTestId("grant-save").click();
  await expect(row.getByTestId("grant-client-ids")).toHaveAttribute("aria-invalid", "true");
  await options.getByTestId("config-client-id").fill("3c1d2e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f");
  await expect(options.getByTestId("config-change-notice")).toBeVisible();
  await expectColourScheme(options, "dark", "options with a refusal");
  expect(await seriousAxeViolations(options), "axe (dark) on options").toEqual([]);
  await expectColourScheme(options, "light", "options with a refusal");
  expect(await seriousAxeViolations(options), "axe (light) on options").toEqual([]);
  await options.close();
});
