import type { AcquireOutcome } from "../../web/demo/test-hooks.js";
import { attributeOf, byTestId, click, inPage, textOf, waitUntil, type DemoBrowser, type Page } from "./demo-browser.js";

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
export async function openShell(browser: DemoBrowser, url: string): Promise<Page> {
  const page = await browser.newTab(url);
  if (!(await waitUntil(() => inPage(page, () => window.__authShell !== undefined, undefined)))) throw new Error(`the shell did not start at ${url}`);
  return page;
}

export function acquire(page: Page, options: { forceRefresh?: boolean; claims?: string } = {}): Promise<AcquireOutcome> {
  return inPage(page, (o) => window.__authShell!.acquire(o), options) as Promise<AcquireOutcome>;
}

export function profileShown(page: Page, name: string, timeout = 15_000): Promise<boolean> {
  return waitUntil(async () => (await textOf(page, byTestId("profile-name")))?.trim() === name, timeout);
}

/** Clicks "Reload profile" and waits for that load to finish; returns its outcome and the error code shown. */
export async function reloadProfile(page: Page, timeout = 30_000): Promise<{ ok: boolean; code?: string }> {
  const before = await loadSeq(page);
  await click(page, byTestId("profile-reload"));
  await waitUntil(async () => (await loadSeq(page)) !== before, timeout);
  const ok = (await attributeOf(page, byTestId("profile"), "data-load-status")) === "ok";
  const code = ok ? undefined : ((await attributeOf(page, byTestId("shell-error"), "data-code")) ?? "unknown");
  return ok ? { ok } : { ok, ...(code ? { code } : {}) };
}

/** Waits until the profile panel has finished at least `seq` loads; true when the last one succeeded. */
export async function profileLoadedAfter(page: Page, seq: number, timeout = 30_000): Promise<boolean> {
  if (!(await waitUntil(async () => (await loadSeq(page)) > seq, timeout))) return false;
  return (await attributeOf(page, byTestId("profile"), "data-load-status")) === "ok";
}

export async function loadSeq(page: Page): Promise<number> {
  return Number((await attributeOf(page, byTestId("profile"), "data-load-seq")) ?? "0");
}
