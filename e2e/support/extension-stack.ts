/**
 * The set-up most extension cells share: one emulator, one fixture origin or more (all granted),
 * Chromium with the built extension in a fresh persistent profile, and an unmodified msal-browser
 * app tab that signed in through the broker's sign-in window (unless told not to).
 */
import type { Page } from "@playwright/test";
import { EmulatorHandle } from "./extension-emulator.js";
import { ExtensionBrowser } from "./extension-browser.js";
import { startFixtureServer, type FixtureServer } from "./extension-fixture-server.js";
import { appPopup } from "./extension-page-calls.js";

export interface ExtensionStack {
  emulator: EmulatorHandle;
  origins: FixtureServer[];
  browser: ExtensionBrowser;
  /** The fixture app's URL on origin `index`, pointed at this emulator's tenant and client. */
  appUrl(index?: number): string;
}

export async function startSignedIn(originCount = 1, signIn = true): Promise<ExtensionStack & { tab: Page }> {
  const stack: Partial<ExtensionStack> = {};
  try {
    const emulator = (stack.emulator = await EmulatorHandle.start());
    const origins: FixtureServer[] = (stack.origins = []);
    for (let i = 0; i < originCount; i++) origins.push(await startFixtureServer());
    const browser = (stack.browser = await new ExtensionBrowser(emulator).launch());
    await browser.configure(origins.map((o) => o.origin));
    const appUrl = (index = 0) => origins[index]!.appUrl({ authority: emulator.authority, clientId: emulator.clientId });
    const tab = await browser.openApp(appUrl());
    if (signIn) {
      const [signedIn] = await Promise.all([appPopup(tab), browser.completeSignIn()]);
      if (!signedIn.ok) throw new Error(`The first sign-in failed: ${JSON.stringify(signedIn)}`);
    }
    return { emulator, origins, browser, appUrl, tab };
  } catch (error) {
    await stopAll(stack); // A half-started stack would outlive the spec: its afterAll gets no handle.
    throw error;
  }
}

export async function stopAll(stack: Partial<ExtensionStack>): Promise<void> {
  await stack.browser?.close();
  for (const o of stack.origins ?? []) await o.close();
  await stack.emulator?.close();
}
