/**
 * The SPA shell without the extension (dist/web-test: the demo app over createAuthShell, with test
 * hooks) served on its own origin, a fresh emulator, and a plain Chromium to open it in.
 */
import type { Browser } from "@playwright/test";
import { launchPlain } from "../demo/browser.js";
import { serveStatic, type StaticSite } from "../demo/static-server.js";
import { startTestEmulator, type TestEmulator } from "../kit/emulator/control-client.js";

export interface StandaloneShell {
  emulator: TestEmulator;
  site: StaticSite;
  browser: Browser;
  /** The shell's page pointed at this emulator's tenant and client. */
  shellUrl(): string;
}

export async function startStandaloneShell(): Promise<StandaloneShell> {
  const shell: Partial<StandaloneShell> = {};
  try {
    const emulator = (shell.emulator = await startTestEmulator());
    const site = (shell.site = await serveStatic("dist/web-test"));
    shell.browser = await launchPlain();
    const shellUrl = () => `${site.url}index.html?${new URLSearchParams({ authority: emulator.authority, clientId: emulator.clientId, test: "1" })}`;
    return { ...(shell as Omit<StandaloneShell, "shellUrl">), shellUrl };
  } catch (error) {
    await stopStandaloneShell(shell); // A half-started set-up would outlive the spec.
    throw error;
  }
}

export async function stopStandaloneShell(shell: Partial<StandaloneShell> = {}): Promise<void> {
  await shell.browser?.close();
  await shell.site?.close();
  await shell.emulator?.close();
}
