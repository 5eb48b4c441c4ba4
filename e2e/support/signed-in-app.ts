/**
 * The setup most fault cells share: an emulator, one fixture origin granted in the broker, Chromium
 * with the built extension, and an unmodified msal-browser app tab signed in through the broker's
 * sign-in window. Cells then make the emulator misbehave and read its request log.
 */
import type { Page } from "@playwright/test";
import { EmulatorHandle } from "./extension-emulator.js";
import { ExtensionBrowser } from "./extension-browser.js";
import { startFixtureServer, type FixtureServer } from "./extension-fixture-server.js";
import { appPopup } from "./extension-page-calls.js";

export interface SignedInApp {
  emulator: EmulatorHandle;
  fixture: FixtureServer;
  browser: ExtensionBrowser;
  /** The app tab that signed in. */
  tab: Page;
  /** The fixture app's URL, pointed at this emulator's tenant and client. */
  appUrl(): string;
  close(): Promise<void>;
}

export async function startSignedInApp(): Promise<SignedInApp> {
  const emulator = await EmulatorHandle.start();
  const fixture = await startFixtureServer();
  const browser = new ExtensionBrowser(emulator);
  const close = async () => {
    await browser.close();
    await fixture.close();
    await emulator.close();
  };
  try {
    await browser.launch();
    await browser.configure([fixture.origin]);
    const appUrl = () => fixture.appUrl({ authority: emulator.authority, clientId: emulator.clientId });
    const tab = await browser.openApp(appUrl());
    const [signedIn] = await Promise.all([appPopup(tab), browser.completeSignIn()]);
    if (!signedIn.ok) throw new Error(`The first sign-in failed: ${JSON.stringify(signedIn)}`);
    return { emulator, fixture, browser, tab, appUrl, close };
  } catch (error) {
    await close(); // A half-started stack would outlive the spec: afterAll gets no handle to close.
    throw error;
  }
}
