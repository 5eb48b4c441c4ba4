import type { BrowserContext, Page } from "@playwright/test";
import { EXTENSION_ID } from "../../shared/config/emulator-defaults";

export interface GrantSpec {
  origin: string;
  clientIds: string[];
  scopes?: string[];
}

type BrokerAnswer<T> = { ok: true; value: T } | { ok: false; error: { code: string; message: string } };

/** Sends one popup/options message to the extension's service worker from an extension page. */
export async function sendToBroker<T>(page: Page, message: Record<string, unknown>): Promise<T> {
  const answer = (await page.evaluate((m) => chrome.runtime.sendMessage(m), message)) as BrokerAnswer<T>;
  if (!answer || !answer.ok) throw new Error(`broker refused ${String(message.kind)}: ${answer ? answer.error.code : "no answer"}`);
  return answer.value;
}

/** Opens the extension's options page (an extension page can message the worker like the real UI does). */
export async function openOptions(context: BrowserContext): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`chrome-extension://${EXTENSION_ID}/options.html`);
  return page;
}

/** Points the extension at an emulator and grants origins, the way an admin would in the options page. */
export async function configureExtension(
  context: BrowserContext,
  settings: { authority: string; clientId: string; scopes: string[]; grants: GrantSpec[] },
): Promise<void> {
  const page = await openOptions(context);
  await sendToBroker(page, { kind: "setConfig", config: { authority: settings.authority, clientId: settings.clientId, defaultScopes: settings.scopes } });
  for (const grant of settings.grants) await sendToBroker(page, { kind: "addGrant", grant });
  await page.close();
}

/** Stops every service worker of the profile (DESIGN §7): the next extension message wakes a fresh one. */
export async function killServiceWorker(page: Page): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("ServiceWorker.enable");
  await cdp.send("ServiceWorker.stopAllWorkers");
  await cdp.detach();
}

/** Fills the emulator's login form in a sign-in window. */
export async function fillLogin(page: Page, username: string, password = "Passw0rd!"): Promise<void> {
  await page.locator("input[name=username]").fill(username);
  await page.locator("input[name=password]").fill(password);
  await page.locator("button[type=submit]").click();
}
