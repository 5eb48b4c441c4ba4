import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { chromium, type BrowserContext } from "@playwright/test";

const CANDIDATES = [
  "/usr/bin/chromium",
  "/usr/bin/chromium-browser",
  "/usr/bin/google-chrome",
  "/usr/bin/google-chrome-stable",
  "/opt/google/chrome/chrome",
  "/usr/bin/microsoft-edge",
  "/opt/microsoft/msedge/msedge",
  "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
  "/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge",
  "C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe",
  "C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe",
];

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
  return CANDIDATES.find((path) => existsSync(path));
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
}

/** Sets the profile preference that permits third-party cookies (merged into Default/Preferences). */
export function allowThirdPartyCookiesIn(userDataDir: string): void {
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

/** The exact launch arguments of DESIGN §7. */
export function chromiumArgs(extensionDir?: string): string[] {
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

/** Launches a persistent Chromium context (required for extensions) with the project's arguments. */
export function launchBrowser(options: LaunchOptions): Promise<BrowserContext> {
  if (options.allowThirdPartyCookies) allowThirdPartyCookiesIn(options.userDataDir);
  return chromium.launchPersistentContext(options.userDataDir, {
    executablePath: findChromium(),
    headless: options.headless ?? process.env.HEADED !== "1",
    ignoreHTTPSErrors: true,
    args: chromiumArgs(options.extensionDir),
  });
}
