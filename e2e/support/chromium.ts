import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { chromium, type Browser, type BrowserContext } from "@playwright/test";
import { installedChromium } from "../../scripts/find-chromium.mjs";

/**
 * The Chromium to drive: env CHROMIUM_PATH, else Debian's /usr/bin/chromium, else an installed
 * Chrome/Edge, else undefined (Playwright's own managed browser, if one is installed).
 */
export function findChromium(): string | undefined {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`CHROMIUM_PATH points to a missing file: ${fromEnv}`);
    return fromEnv;
  }
  return installedChromium();
}

export interface LaunchOptions {
  /** Profile directory; reuse it to simulate a browser restart. */
  userDataDir: string;
  /** Unpacked extension to load (dist/extension), if any. */
  extensionDir?: string;
  /** Default true; set HEADED=1 in the environment to watch. */
  headless?: boolean;
  /**
   * Allow third-party cookies in this profile (Chromium 156 blocks them by default). Needed when a
   * page relies on the IdP session cookie inside a hidden iframe (MSAL ssoSilent, prompt=none in an
   * iframe) — exactly as a real user's browser must allow it. Default false (the browser's default).
   */
  allowThirdPartyCookies?: boolean;
  /** Chrome's UI language (`--lang`), e.g. "de": chrome.i18n then picks `_locales/de`. Default: the system's. */
  lang?: string;
  /** More Chromium switches, e.g. --restore-last-session to reopen the previous session's tabs. */
  extraArgs?: string[];
}

/** Sets the profile preference that permits third-party cookies (merged into Default/Preferences). */
function allowThirdPartyCookiesIn(userDataDir: string): void {
  const dir = join(userDataDir, "Default");
  const file = join(dir, "Preferences");
  mkdirSync(dir, { recursive: true });
  let prefs: Record<string, unknown>;
  try {
    prefs = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
  } catch {
    prefs = {};
  }
  const profile = (typeof prefs.profile === "object" && prefs.profile !== null ? prefs.profile : {}) as Record<string, unknown>;
  prefs.profile = { ...profile, cookie_controls_mode: 0, block_third_party_cookies: false };
  writeFileSync(file, JSON.stringify(prefs));
}

/** The exact launch arguments (docs/architecture.md, "The browser under test"). */
function chromiumArgs(extensionDir?: string): string[] {
  return [
    ...(extensionDir ? [`--disable-extensions-except=${extensionDir}`, `--load-extension=${extensionDir}`] : []),
    "--no-sandbox",
    "--disable-gpu",
    "--ignore-certificate-errors",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ];
}

/** The browser, headless mode and arguments every launch uses. */
function baseLaunchOptions(options: { headless?: boolean; extensionDir?: string; lang?: string }) {
  const executablePath = findChromium();
  return {
    ...(executablePath ? { executablePath } : {}),
    headless: options.headless ?? process.env.HEADED !== "1",
    args: [...chromiumArgs(options.extensionDir), ...(options.lang ? [`--lang=${options.lang}`] : [])],
  };
}

/** Launches a persistent Chromium context (required for extensions) with the project's arguments. */
export function launchBrowser(options: LaunchOptions): Promise<BrowserContext> {
  if (options.allowThirdPartyCookies) allowThirdPartyCookiesIn(options.userDataDir);
  const base = baseLaunchOptions(options);
  return chromium.launchPersistentContext(options.userDataDir, { ...base, args: [...base.args, ...(options.extraArgs ?? [])], ignoreHTTPSErrors: true });
}

/**
 * Plain Chromium (no extension, no persistent profile), e.g. for the standalone shell. `popupBlocker`:
 * keep Chromium's popup blocker on, as every user has it (Playwright turns it off by default).
 */
export function launchPlain(options: { headless?: boolean; popupBlocker?: boolean } = {}): Promise<Browser> {
  return chromium.launch({ ...baseLaunchOptions(options), ...(options.popupBlocker ? { ignoreDefaultArgs: ["--disable-popup-blocking"] } : {}) });
}
