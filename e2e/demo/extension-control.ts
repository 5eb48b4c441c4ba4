import type { BrowserContext } from "@playwright/test";
import { configureBroker, openExtensionPage, type BrokerSettings } from "../support/extension-browser.js";

/** Configures the broker from a short-lived options page (the demo, the bench and the web specs). */
export async function configureExtension(context: BrowserContext, settings: BrokerSettings): Promise<void> {
  const page = await openExtensionPage(context, "options.html");
  await configureBroker(page, settings);
  await page.close();
}
