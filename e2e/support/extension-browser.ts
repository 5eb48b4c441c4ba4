/**
 * Real Chromium with the built extension (dist/extension) in a persistent profile, plus the helpers
 * the extension specs, the demo and the bench share: configure the broker through the extension's own
 * message API (as the options page does), open the fixture app, fill the sign-in window, restart the
 * browser with the same profile, and stop the service worker through CDP.
 */
import type { BrowserContext, Page, Worker } from "@playwright/test";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { EXTENSION_ID } from "../../shared/config/extension-ids.js";
import { launchBrowser } from "./chromium.js";
import type { EmulatorHandle } from "./extension-emulator.js";
import { inPage, type Page as AnyPage } from "./extension-page-calls.js";

export const EXTENSION_DIR = resolve(import.meta.dirname, "../../dist/extension");
export const USERNAME = "adele@contoso.test";
const PASSWORD = "Passw0rd!";

export interface ExtensionLaunchOptions {
  /** Default true; HEADED=1 in the environment to watch (see chromium.ts). */
  headless?: boolean;
  /** Default dist/extension. */
  extensionDir?: string;
  /** Size of the first tab (the demo pictures it). */
  viewport?: { width: number; height: number };
  /** Reopen the tabs of the profile's previous session at start-up, as browsers do for users. */
  restoreLastSession?: boolean;
}

/** Real Chromium (e2e/support/chromium.ts: CHROMIUM_PATH or Debian's) with the built extension (docs/architecture.md, "The browser under test"). */
export async function launchWithExtension(userDataDir: string, options: ExtensionLaunchOptions = {}): Promise<BrowserContext> {
  const extensionDir = options.extensionDir ? resolve(options.extensionDir) : EXTENSION_DIR;
  if (!existsSync(join(extensionDir, "manifest.json"))) throw new Error(`No built extension in ${extensionDir}: run \`npm run build\` first`);
  const context = await launchBrowser({
    userDataDir,
    extensionDir,
    ...(options.headless !== undefined ? { headless: options.headless } : {}),
    ...(options.restoreLastSession ? { extraArgs: ["--restore-last-session"] } : {}),
  });
  if (options.viewport) await context.pages()[0]?.setViewportSize(options.viewport);
  return context;
}

/** Opens one of the extension's own pages (an extension page can message the worker like the real UI does). */
export async function openExtensionPage(context: BrowserContext, name: "options.html" | "popup.html" = "options.html"): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`chrome-extension://${EXTENSION_ID}/${name}`);
  return page;
}

/** Sends one UI message to the worker from an extension page and unwraps the BrokerResponse. */
export async function sendToExtension<T = unknown>(page: AnyPage, message: Record<string, unknown>): Promise<T> {
  const reply = (await inPage(page, (m) => chrome.runtime.sendMessage(m), message)) as
    | { ok: true; value: T }
    | { ok: false; error: { code: string; message: string } }
    | undefined;
  if (!reply) throw new Error(`${String(message.kind)} failed: no answer`);
  if (!reply.ok) throw new Error(`${String(message.kind)} failed: ${reply.error.code}: ${reply.error.message}`);
  return reply.value;
}

interface GrantSpec {
  origin: string;
  clientIds: string[];
  scopes?: string[];
}

export interface BrokerSettings {
  authority: string;
  clientId: string;
  scopes: string[];
  grants: GrantSpec[];
}

/** The tests' settings: the emulator's authority and client, User.Read, and these origins granted for any client. */
export function testSettings(emulator: EmulatorAddress, origins: string[]): BrokerSettings {
  return { authority: emulator.authority, clientId: emulator.clientId, scopes: ["User.Read"], grants: origins.map((origin) => ({ origin, clientIds: [] })) };
}

/** Points the broker at an emulator and grants origins, the way an admin would in the options page. */
export async function configureBroker(page: AnyPage, settings: BrokerSettings): Promise<void> {
  await sendToExtension(page, { kind: "setConfig", config: { authority: settings.authority, clientId: settings.clientId, defaultScopes: settings.scopes } });
  for (const grant of settings.grants) await sendToExtension(page, { kind: "addGrant", grant });
}

/** Stops every service worker of the profile through CDP (docs/architecture.md, "The browser under test"): the next extension event wakes a fresh one. */
export async function stopServiceWorkers(page: Page): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("ServiceWorker.enable");
  await cdp.send("ServiceWorker.stopAllWorkers");
  await cdp.detach();
}

/** Fills the emulator's login form in a sign-in window and submits it. */
export async function fillLogin(page: AnyPage, username = USERNAME, password = PASSWORD): Promise<void> {
  // Playwright's and puppeteer's locators share fill() and click().
  const at = (selector: string) => (page as Page).locator(selector);
  await at('input[name="username"]').fill(username);
  await at('input[name="password"]').fill(password);
  await at('button[type="submit"]').click();
}

export async function serviceWorkerOf(context: BrowserContext): Promise<Worker> {
  const isOurs = (w: Worker) => w.url().startsWith(`chrome-extension://${EXTENSION_ID}/`);
  const existing = context.serviceWorkers().find(isOurs);
  if (existing) return existing;
  return context.waitForEvent("serviceworker", { predicate: isOurs, timeout: 15_000 });
}

/**
 * Waits until the worker has (re-)registered the bridge content scripts for the granted origins.
 * After a restart with --load-extension they are gone until the worker's start-up re-registers them;
 * the worker then adds the bridge to tabs that loaded meanwhile (adopt-open-tabs.ts), which reaches
 * apps that create their nestable MSAL client lazily, not one that already went standalone at load.
 */
async function waitForBridgeRegistration(context: BrowserContext): Promise<void> {
  const worker = await serviceWorkerOf(context);
  for (let i = 0; i < 100; i++) {
    const count = await worker.evaluate(async () => (await chrome.scripting.getRegisteredContentScripts()).length);
    if (count >= 2) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("the bridge content scripts were not registered");
}

/** Where the browser finds the emulator: a test's EmulatorHandle, or the demo's RunningEmulator. */
export type EmulatorAddress = Pick<EmulatorHandle, "url" | "authority" | "clientId">;

/** Sign-in windows counted from the moment a watch starts (see watchSignInWindows). */
export interface SignInWindowWatch {
  count(): number;
  /** Stops counting; returns the count. */
  stop(): number;
}

export class ExtensionBrowser {
  context!: BrowserContext;
  readonly userDataDir: string;
  private messengerPage?: Page;
  private launchOptions: Pick<ExtensionLaunchOptions, "headless" | "viewport" | "extensionDir"> = {};

  constructor(readonly emulator: EmulatorAddress) {
    this.userDataDir = mkdtempSync(join(tmpdir(), "rtb-ext-"));
  }

  /** headless, viewport (the demo's) and extensionDir (the bench's) hold for restarts too; restoreLastSession for this launch only. */
  async launch(options: Pick<ExtensionLaunchOptions, "headless" | "viewport" | "restoreLastSession" | "extensionDir"> = {}): Promise<this> {
    const { restoreLastSession, ...kept } = options;
    this.launchOptions = { ...this.launchOptions, ...kept };
    this.context = await launchWithExtension(this.userDataDir, { ...this.launchOptions, ...(restoreLastSession ? { restoreLastSession } : {}) });
    this.messengerPage = undefined;
    await serviceWorkerOf(this.context);
    return this;
  }

  /** A new tab at `url`. */
  async newTab(url: string): Promise<Page> {
    const page = await this.context.newPage();
    await page.goto(url);
    return page;
  }

  /** One of the extension's own pages in a new tab (at `viewport`, e.g. the toolbar popup's size). */
  async extensionPage(name: "options.html" | "popup.html", viewport?: { width: number; height: number }): Promise<Page> {
    const page = await openExtensionPage(this.context, name);
    if (viewport) await page.setViewportSize(viewport);
    return page;
  }

  /** Counts the windows that show the IdP from now on (`onOpen` for each), until stop() or a restart. */
  watchSignInWindows(onOpen: () => void = () => undefined): SignInWindowWatch {
    let count = 0;
    let stopped = false;
    const seen = (url: string) => url.startsWith(this.emulator.url);
    const counted = () => {
      if (stopped) return;
      count++;
      onOpen();
    };
    const onPage = (p: Page) => {
      if (seen(p.url())) counted();
      else void p.waitForURL((u) => seen(u.href), { timeout: 60_000 }).then(counted, () => undefined);
    };
    const context = this.context;
    context.on("page", onPage);
    return {
      count: () => count,
      stop: () => {
        stopped = true;
        context.off("page", onPage);
        return count;
      },
    };
  }

  worker(): Promise<Worker> {
    return serviceWorkerOf(this.context);
  }

  pageUrl(name: "options.html" | "popup.html"): string {
    return `chrome-extension://${EXTENSION_ID}/${name}`;
  }

  /** Runs `fn(arg)` in the service worker, where the extension APIs (alarms, scripting, …) are at hand. */
  async inExtension<A, R>(fn: (arg: A) => R | Promise<R>, arg: A): Promise<R> {
    return (await this.worker()).evaluate(fn as (arg: unknown) => R | Promise<R>, arg);
  }

  /** An extension page from which the tests send the same messages the options page sends. */
  async extensionMessenger(): Promise<Page> {
    if (!this.messengerPage || this.messengerPage.isClosed()) this.messengerPage = await openExtensionPage(this.context, "options.html");
    return this.messengerPage;
  }

  /** Sends one UI message to the worker and unwraps the BrokerResponse. */
  async send<T = unknown>(message: Record<string, unknown>): Promise<T> {
    return sendToExtension<T>(await this.extensionMessenger(), message);
  }

  /** Points the broker at this test's emulator and grants the given origins. */
  async configure(origins: string[]): Promise<void> {
    await configureBroker(await this.extensionMessenger(), testSettings(this.emulator, origins));
  }

  /** Opens a page and waits until the bridge (if any) and the fixture app are ready. */
  async openApp(url: string): Promise<Page> {
    const page = await this.newTab(url);
    await page.waitForFunction(() => typeof (window as unknown as { naaApp?: unknown }).naaApp === "object");
    return page;
  }

  /** Waits for the launchWebAuthFlow sign-in window to open and show its login form. */
  async signInWindow(): Promise<Page> {
    const popup = await this.context.waitForEvent("page", {
      predicate: (p) => p.url().startsWith(this.emulator.url) || p.url() === "about:blank",
      timeout: 20_000,
    });
    await popup.locator('input[name="username"]').waitFor({ timeout: 20_000 });
    return popup;
  }

  /** Waits for the launchWebAuthFlow sign-in window and signs in. */
  async completeSignIn(username = USERNAME): Promise<void> {
    await fillLogin(await this.signInWindow(), username);
  }

  /** Waits until the worker has (re-)registered the bridge content scripts for the granted origins. */
  waitForBridgeRegistration(): Promise<void> {
    return waitForBridgeRegistration(this.context);
  }

  /** Terminates the extension's service worker (the next event wakes a fresh one). */
  async stopWorker(): Promise<void> {
    await stopServiceWorkers(this.context.pages()[0] ?? (await this.context.newPage()));
  }

  /** Closes the browser and relaunches it on the same profile (restoreLastSession: with its open tabs). */
  async restart(options: Pick<ExtensionLaunchOptions, "restoreLastSession"> = {}): Promise<void> {
    await this.context.close();
    await this.launch(options);
  }

  async close(): Promise<void> {
    await this.context?.close().catch(() => undefined);
    rmSync(this.userDataDir, { recursive: true, force: true });
  }
}

export type AppResult =
  | { ok: true; accessToken: string; idTokenClaims: Record<string, unknown>; username: string; homeAccountId: string; scopes: string[]; expiresOn: number | null; fromCache: boolean }
  | { ok: false; name: string; errorCode: string; subError: string; message: string };
