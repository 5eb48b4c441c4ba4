/**
 * Cold browser start → first token (issue 12: the first token after a restart took 5.6–5.8 s while
 * the worker waited on chrome.storage.managed). Each sample closes the browser and relaunches it on
 * the same profile, opens the app, and asks through the bridge as soon as it is there; the second
 * ask, right after, is the warm figure measured side by side in the same sample.
 */
import type { Page } from "@playwright/test";
import type { ExtensionBrowser } from "../support/extension-browser.js";
import { rawBridgeCall } from "../support/extension-page-calls.js";
import { percentile } from "./stats.js";

export interface BrowserStartResult {
  samples: number;
  /** Relaunch until the extension's service worker is up, p50. */
  launchP50?: number;
  /** Worker up → the app page has `window.nestedAppAuthBridge`, p50 (adopted in place if it loaded first). */
  bridgeP50?: number;
  /** Bridge there → first token (a cache hit from the encrypted store), p50. */
  firstTokenP50?: number;
  /** The same ask again, right after, p50. */
  secondTokenP50?: number;
  /** Relaunch → first token, p50 and max. */
  totalP50?: number;
  totalMax?: number;
  /** Samples where an ask was not answered with a token (each is named in `failures`). */
  failures: string[];
}

const round = (n: number | undefined) => (n === undefined ? undefined : Math.round(n));

async function waitForBridge(page: Page): Promise<void> {
  await page.waitForFunction(() => typeof (window as unknown as { nestedAppAuthBridge?: unknown }).nestedAppAuthBridge === "object", undefined, { timeout: 20_000 });
}

export async function measureBrowserStart(browser: ExtensionBrowser, appUrl: string, clientId: string, samples = 5): Promise<BrowserStartResult> {
  const launch: number[] = [];
  const bridge: number[] = [];
  const first: number[] = [];
  const second: number[] = [];
  const total: number[] = [];
  const failures: string[] = [];
  for (let i = 0; i < samples; i++) {
    await browser.context.close();
    const t0 = performance.now();
    await browser.launch();
    const t1 = performance.now();
    const page = await browser.context.newPage();
    await page.goto(appUrl);
    await waitForBridge(page);
    const t2 = performance.now();
    const reply = await rawBridgeCall(page, { method: "GetToken", clientId });
    const t3 = performance.now();
    const again = await rawBridgeCall(page, { method: "GetToken", clientId });
    const t4 = performance.now();
    if (reply === "timeout" || !reply.success || again === "timeout" || !again.success) {
      failures.push(`sample ${i + 1}: ${reply === "timeout" ? "timeout" : (reply.error?.code ?? "ok")} / ${again === "timeout" ? "timeout" : (again.error?.code ?? "ok")}`);
      continue;
    }
    launch.push(t1 - t0);
    bridge.push(t2 - t1);
    first.push(t3 - t2);
    second.push(t4 - t3);
    total.push(t3 - t0);
  }
  return {
    samples: total.length,
    launchP50: round(percentile(launch, 50)),
    bridgeP50: round(percentile(bridge, 50)),
    firstTokenP50: round(percentile(first, 50)),
    secondTokenP50: round(percentile(second, 50)),
    totalP50: round(percentile(total, 50)),
    totalMax: round(total.length ? Math.max(...total) : undefined),
    failures,
  };
}
