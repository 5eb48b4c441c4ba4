/**
 * The set-up most extension cells share: one emulator, one fixture origin or more (all granted),
 * a browser with the built extension in a fresh persistent profile (Chromium, or Firefox through
 * startSignedInWith), and an unmodified msal-browser app tab that signed in through the broker's
 * sign-in window (unless told not to).
 */
import { EmulatorHandle } from "./extension-emulator.js";
import { ExtensionBrowser } from "./extension-browser.js";
import { startFixtureServer, type FixtureServer } from "./extension-fixture-server.js";
import { appPopup, type Page } from "./extension-page-calls.js";

/** What a stack needs of a browser with the extension: ExtensionBrowser (Chromium) and FirefoxExtensionBrowser. */
export interface BrokerBrowser<P extends Page = Page> {
  configure(origins: string[]): Promise<void>;
  openApp(url: string): Promise<P>;
  completeSignIn(): Promise<void>;
  close(): Promise<void>;
}

export interface ExtensionStack<B extends BrokerBrowser = ExtensionBrowser> {
  emulator: EmulatorHandle;
  origins: FixtureServer[];
  browser: B;
  /** The fixture app's URL on origin `index`, pointed at this emulator's tenant and client. */
  appUrl(index?: number): string;
}

type TabOf<B extends BrokerBrowser> = Awaited<ReturnType<B["openApp"]>>;

export function startSignedIn(originCount = 1, signIn = true): Promise<ExtensionStack & { tab: TabOf<ExtensionBrowser> }> {
  return startSignedInWith((emulator) => new ExtensionBrowser(emulator).launch(), originCount, signIn);
}

/** The same set-up in the browser `launch` starts (e.g. `(e) => new FirefoxExtensionBrowser(e).launch()`). */
export async function startSignedInWith<B extends BrokerBrowser>(
  launch: (emulator: EmulatorHandle) => Promise<B>,
  originCount = 1,
  signIn = true,
): Promise<ExtensionStack<B> & { tab: TabOf<B> }> {
  const stack: Partial<ExtensionStack<B>> = {};
  try {
    const emulator = (stack.emulator = await EmulatorHandle.start());
    const origins: FixtureServer[] = (stack.origins = []);
    for (let i = 0; i < originCount; i++) origins.push(await startFixtureServer());
    const browser = (stack.browser = await launch(emulator));
    await browser.configure(origins.map((o) => o.origin));
    const appUrl = (index = 0) => origins[index]!.appUrl({ authority: emulator.authority, clientId: emulator.clientId });
    const tab = (await browser.openApp(appUrl())) as TabOf<B>;
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

export async function stopAll(stack: Partial<ExtensionStack<BrokerBrowser>>): Promise<void> {
  await stack.browser?.close();
  for (const o of stack.origins ?? []) await o.close();
  await stack.emulator?.close();
}
