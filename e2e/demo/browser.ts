import { chromium, type Browser, type BrowserContext } from "@playwright/test";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { chromiumArgs, findChromium, launchBrowser } from "../support/chromium";

/** Chromium with the built extension loaded (DESIGN §7), in a persistent profile so it can be restarted. */
export async function launchWithExtension(userDataDir: string, options: { headless?: boolean; extensionDir?: string } = {}): Promise<BrowserContext> {
  const dir = resolve(options.extensionDir ?? "dist/extension");
  if (!existsSync(`${dir}/manifest.json`)) throw new Error(`No built extension in ${dir}: run npm run build`);
  const context = await launchBrowser({ userDataDir, extensionDir: dir, headless: options.headless ?? process.env.HEADED !== "1" });
  await context.pages()[0]?.setViewportSize({ width: 1100, height: 800 });
  return context;
}

/** Plain Chromium (no extension) in a persistent profile, e.g. for the plain-MSAL and naive bench clients. */
export function launchPlainPersistent(userDataDir: string, options: { headless?: boolean; allowThirdPartyCookies?: boolean } = {}): Promise<BrowserContext> {
  return launchBrowser({
    userDataDir,
    headless: options.headless ?? process.env.HEADED !== "1",
    ...(options.allowThirdPartyCookies ? { allowThirdPartyCookies: true } : {}),
  });
}

/** Plain Chromium (no extension) for the standalone shell. */
export function launchPlain(options: { headless?: boolean } = {}): Promise<Browser> {
  const executablePath = findChromium();
  return chromium.launch({ ...(executablePath ? { executablePath } : {}), headless: options.headless ?? process.env.HEADED !== "1", args: chromiumArgs() });
}
