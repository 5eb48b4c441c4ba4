/**
 * Real Firefox with the built add-on (dist/extension-firefox.xpi, installed permanently) in a
 * persistent profile: the Firefox twin of ./extension-browser.ts, with the same methods so the
 * Firefox specs read like the Chromium ones. The background is an event page here: stopWorker()
 * suspends it, as Firefox does after 30 s idle.
 */
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { Browser, Page, Target } from "puppeteer-core";
import { GECKO_ID } from "../../shared/config/extension-ids.js";
import { configureBroker, fillLogin, sendToExtension, testSettings, USERNAME, type EmulatorAddress, type SignInWindowWatch } from "./extension-browser.js";
import { inPage } from "./extension-page-calls.js";
import { backgroundState, installAddon, launchFirefox, openAddonPage, suspendBackground } from "./firefox.js";

const FIREFOX_XPI = resolve(import.meta.dirname, "../../dist/extension-firefox.xpi");
/** The moz-extension:// host the tests fix (Firefox draws a random one per profile). */
const FIREFOX_EXTENSION_UUID = "5b8f1c1e-8e3a-4b7e-9a77-2d9f3c1e0b11";

/** Firefox's launchWebAuthFlow redirect URI for an add-on ID. */
export function firefoxRedirectUri(addonId: string): string {
  return `https://${createHash("sha1").update(addonId).digest("hex")}.extensions.allizom.org/`;
}

export class FirefoxExtensionBrowser {
  browser!: Browser;
  readonly userDataDir: string;
  readonly addonId = GECKO_ID;
  private messengerPage?: Page;
  private installed = false;
  private readonly signInWindowsSeen = new WeakSet<Page>();
  private readonly granted = new Set<string>();
  private launchOptions: { headless?: boolean; viewport?: { width: number; height: number } } = {};

  constructor(readonly emulator: EmulatorAddress) {
    this.userDataDir = mkdtempSync(join(tmpdir(), "rtb-ff-"));
  }

  /**
   * Starts Firefox on this profile; the first launch installs the add-on, later ones find it installed.
   * headless and viewport (the demo's) hold for restarts too.
   */
  async launch(options: { headless?: boolean; viewport?: { width: number; height: number } } = {}): Promise<this> {
    this.launchOptions = { ...this.launchOptions, ...options };
    const { headless } = this.launchOptions;
    this.browser = await launchFirefox({ userDataDir: this.userDataDir, extensionUuids: { [this.addonId]: FIREFOX_EXTENSION_UUID }, ...(headless !== undefined ? { headless } : {}) });
    this.messengerPage = undefined;
    if (!this.installed) {
      const id = await installAddon(this.browser, FIREFOX_XPI);
      if (id !== this.addonId) throw new Error(`Firefox installed ${id}, not ${this.addonId}`);
      this.installed = true;
    }
    return this;
  }

  pageUrl(name: "options.html" | "popup.html"): string {
    return `moz-extension://${FIREFOX_EXTENSION_UUID}/${name}`;
  }

  /** A new tab at `url`. */
  async newTab(url: string): Promise<Page> {
    const page = await this.browser.newPage();
    if (this.launchOptions.viewport) await page.setViewport(this.launchOptions.viewport);
    await page.goto(url);
    return page;
  }

  /** One of the extension's own pages in a new tab (at `viewport`, e.g. the toolbar popup's size). */
  async extensionPage(name: "options.html" | "popup.html", viewport = this.launchOptions.viewport): Promise<Page> {
    const page = await openAddonPage(this.browser, this.pageUrl(name));
    if (viewport) await page.setViewport(viewport);
    return page;
  }

  /** An extension page from which the tests send the same messages the options page sends. */
  async extensionMessenger(): Promise<Page> {
    if (!this.messengerPage || this.messengerPage.isClosed()) this.messengerPage = await openAddonPage(this.browser, this.pageUrl("options.html"));
    return this.messengerPage;
  }

  /** Runs `fn(arg)` in an extension page, where the extension APIs (alarms, scripting, …) are at hand. */
  async inExtension<A, R>(fn: (arg: A) => R | Promise<R>, arg: A): Promise<R> {
    return inPage(await this.extensionMessenger(), fn, arg);
  }

  /** Sends one UI message to the background and unwraps the BrokerResponse. */
  async send<T = unknown>(message: Record<string, unknown>): Promise<T> {
    return sendToExtension<T>(await this.extensionMessenger(), message);
  }

  /** Points the broker at this test's emulator and grants the given origins. */
  async configure(origins: string[]): Promise<void> {
    await configureBroker(await this.extensionMessenger(), testSettings(this.emulator, origins));
    for (const origin of origins) this.granted.add(origin);
  }

  /**
   * Opens a page and waits until the fixture app and, on a granted origin, the bridge are ready.
   * Firefox registers the content scripts per host (its match patterns carry no port), so the bridge
   * appears only once the background confirmed the origin — after the page's first script, unlike
   * Chrome's at document_start (extension/content/bridge-handshake.ts). The fixture app creates its
   * MSAL client at the first call, so waiting here gives it the bridge as a user's first click would.
   */
  async openApp(url: string): Promise<Page> {
    const page = await this.newTab(url);
    await page.waitForFunction(() => typeof (window as unknown as { naaApp?: unknown }).naaApp === "object");
    if (this.granted.has(new URL(url).origin)) await page.waitForFunction(() => "nestedAppAuthBridge" in window, { timeout: 15_000 });
    return page;
  }

  /** Waits for the launchWebAuthFlow sign-in window (not one returned before) to show its login form. */
  async signInWindow(): Promise<Page> {
    for (let i = 0; i < 400; i++) {
      for (const page of await this.browser.pages()) {
        if (this.signInWindowsSeen.has(page) || !page.url().startsWith(this.emulator.url)) continue;
        if (!(await page.$('input[name="username"]').catch(() => null))) continue;
        this.signInWindowsSeen.add(page);
        return page;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error("no sign-in window opened");
  }

  /** Waits for the launchWebAuthFlow sign-in window and signs in. */
  async completeSignIn(username = USERNAME): Promise<void> {
    await fillLogin(await this.signInWindow(), username);
  }

  /**
   * Counts the windows that show the IdP from now on (`onOpen` for each), until stop() or a restart
   * (a sign-in window is one; the emulator's log cannot tell it from Firefox's background authorize request).
   */
  watchSignInWindows(onOpen: () => void = () => undefined): SignInWindowWatch {
    const seen = new Set<Target>();
    const browser = this.browser;
    const onTarget = (target: Target) => {
      if (target.type() !== "page" || seen.has(target) || !target.url().startsWith(this.emulator.url)) return;
      seen.add(target);
      onOpen();
    };
    browser.on("targetcreated", onTarget);
    browser.on("targetchanged", onTarget);
    return {
      count: () => seen.size,
      stop: () => {
        browser.off("targetcreated", onTarget);
        browser.off("targetchanged", onTarget);
        return seen.size;
      },
    };
  }

  /** Waits until the background has (re-)registered the bridge content scripts for the granted origins. */
  async waitForBridgeRegistration(): Promise<void> {
    for (let i = 0; i < 100; i++) {
      if ((await this.inExtension(async () => (await chrome.scripting.getRegisteredContentScripts()).length, undefined)) >= 2) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error("the bridge content scripts were not registered");
  }

  /** The browser's own word on the event page: "running", "suspending" or "stopped". */
  backgroundState(): Promise<string> {
    return backgroundState(this.browser, this.addonId);
  }

  /** Suspends the event page (as Firefox does after 30 s idle); the next event wakes a fresh one. */
  async stopWorker(): Promise<void> {
    await suspendBackground(this.browser, this.addonId);
  }

  /** Closes Firefox and relaunches it on the same profile (the add-on stays installed). */
  async restart(): Promise<void> {
    await this.browser.close();
    await this.launch();
  }

  async close(): Promise<void> {
    await this.browser?.close().catch(() => undefined);
    rmSync(this.userDataDir, { recursive: true, force: true });
  }
}
