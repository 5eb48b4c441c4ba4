import { expect, type BrowserContext, type Page } from "@playwright/test";
import type { AcquireOutcome } from "../../web/demo/test-hooks.js";

export type { AcquireOutcome };


export interface ShellApp {
  name: string;
  /** Base URL of the static site serving dist/web (one origin per app). */
  siteUrl: string;
}

export function shellUrl(app: ShellApp, authority: string, clientId: string): string {
  const q = new URLSearchParams({ authority, clientId, app: app.name, test: "1" });
  return `${app.siteUrl}index.html?${q}`;
}

/** Opens the shell in a new tab and waits until its auth core is up. */
export async function openShell(context: BrowserContext, url: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(url);
  await page.waitForFunction(() => window.__authShell !== undefined);
  return page;
}

export function acquire(page: Page, options: { forceRefresh?: boolean; claims?: string } = {}): Promise<AcquireOutcome> {
  return page.evaluate((o) => window.__authShell!.acquire(o), options) as Promise<AcquireOutcome>;
}

export async function profileShown(page: Page, name: string, timeout = 15_000): Promise<boolean> {
  try {
    await expect(page.getByTestId("profile-name")).toHaveText(name, { timeout });
    return true;
  } catch {
    return false;
  }
}

/** Clicks "Reload profile" and waits for that load to finish; returns its outcome and the error code shown. */
export async function reloadProfile(page: Page, timeout = 30_000): Promise<{ ok: boolean; code?: string }> {
  const panel = page.getByTestId("profile");
  const before = Number((await panel.getAttribute("data-load-seq")) ?? "0");
  await page.getByTestId("profile-reload").click();
  await expect(panel).not.toHaveAttribute("data-load-seq", String(before), { timeout });
  const ok = (await panel.getAttribute("data-load-status")) === "ok";
  const code = ok ? undefined : ((await page.getByTestId("shell-error").getAttribute("data-code").catch(() => null)) ?? "unknown");
  return ok ? { ok } : { ok, ...(code ? { code } : {}) };
}

/** Waits until the profile panel has finished at least `seq` loads; true when the last one succeeded. */
export async function profileLoadedAfter(page: Page, seq: number, timeout = 30_000): Promise<boolean> {
  const panel = page.getByTestId("profile");
  try {
    await expect.poll(async () => Number((await panel.getAttribute("data-load-seq")) ?? "0"), { timeout }).toBeGreaterThan(seq);
  } catch {
    return false;
  }
  return (await panel.getAttribute("data-load-status")) === "ok";
}

export async function loadSeq(page: Page): Promise<number> {
  return Number((await page.getByTestId("profile").getAttribute("data-load-seq")) ?? "0");
}
