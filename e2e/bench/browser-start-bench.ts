/**
 * Cold starts → first token, on either engine (issue 12: the first token after a restart took
 * 5.6–5.8 s while the worker waited on chrome.storage.managed). Two kinds, side by side:
 * - background stopped (Chromium: the service worker killed; Firefox: the event page suspended),
 *   then one ask through an open page's bridge;
 * - browser restarted on the same profile: each sample relaunches, opens the app, and asks through
 *   the bridge as soon as it is there ("at once"), then again right after (warm). Samples that
 *   first let the freshly started background settle for SETTLE_MS ("settled") tell the background's
 *   own start-up work apart from opening the encrypted store and unwrapping its key.
 */
import { hasBridge, rawBridgeCall, type Page } from "../support/extension-page-calls.js";
import type { BrokerBrowser } from "../support/extension-stack.js";
import { percentile } from "./stats.js";

/** ExtensionBrowser (Chromium) and FirefoxExtensionBrowser both are one. */
export interface ColdStartBrowser extends BrokerBrowser {
  restart(): Promise<void>;
  stopWorker(): Promise<void>;
}

export interface BrowserStartResult {
  samples: number;
  /** Background stopped → first token from the encrypted cache, p50 (and its sample count). */
  backgroundStoppedP50?: number;
  backgroundStoppedSamples: number;
  /** Relaunch until the browser (Chromium: and the extension's service worker) is up, p50. */
  launchP50?: number;
  /** Browser up → the app page has `window.nestedAppAuthBridge`, p50. */
  bridgeP50?: number;
  /** Bridge there → first token (a cache hit from the encrypted store), asked at once, p50. */
  firstTokenP50?: number;
  /** The same, asked only after the background had SETTLE_MS to finish its start-up, p50. */
  firstTokenSettledP50?: number;
  /** The same ask again, right after the first, p50. */
  secondTokenP50?: number;
  /** Relaunch → first token (asked at once), p50 and max. */
  totalP50?: number;
  totalMax?: number;
  /** Samples where an ask was not answered with a token (each is named in `failures`). */
  failures: string[];
}

export const SETTLE_MS = 2000;
const round = (n: number | undefined) => (n === undefined ? undefined : Math.round(n * 10) / 10);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitForBridge(page: Page): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (await hasBridge(page)) return;
    await sleep(5);
  }
  throw new Error("the bridge did not appear");
}

async function timedToken(page: Page, clientId: string): Promise<{ ms: number; failure?: string }> {
  const t0 = performance.now();
  const reply = await rawBridgeCall(page, { method: "GetToken", clientId });
  const ms = performance.now() - t0;
  if (reply === "timeout") return { ms, failure: "timeout" };
  return reply.success ? { ms } : { ms, failure: reply.error?.code ?? "failed" };
}

/** `page`: an open app tab with the bridge, signed in. Restarts close it: the function returns the last tab it opened. */
export async function measureColdStarts(browser: ColdStartBrowser, page: Page, appUrl: string, clientId: string, samples = 5): Promise<BrowserStartResult> {
  const stopped: number[] = [];
  const launch: number[] = [];
  const bridge: number[] = [];
  const first: number[] = [];
  const settled: number[] = [];
  const second: number[] = [];
  const total: number[] = [];
  const failures: string[] = [];
  for (let i = 0; i < samples * 2; i++) {
    await browser.stopWorker();
    const ask = await timedToken(page, clientId);
    if (ask.failure) failures.push(`background stopped, sample ${i + 1}: ${ask.failure}`);
    else stopped.push(ask.ms);
  }
  for (let i = 0; i < samples * 2; i++) {
    const settle = i % 2 === 1;
    const t0 = performance.now();
    await browser.restart();
    const t1 = performance.now();
    const tab = await browser.openApp(appUrl);
    await waitForBridge(tab);
    const t2 = performance.now();
    if (settle) await sleep(SETTLE_MS);
    const firstAsk = await timedToken(tab, clientId);
    const again = await timedToken(tab, clientId);
    if (firstAsk.failure || again.failure) {
      failures.push(`restart, sample ${i + 1}: ${firstAsk.failure ?? "ok"} / ${again.failure ?? "ok"}`);
      continue;
    }
    if (settle) {
      settled.push(firstAsk.ms);
      continue;
    }
    launch.push(t1 - t0);
    bridge.push(t2 - t1);
    first.push(firstAsk.ms);
    second.push(again.ms);
    total.push(t2 - t0 + firstAsk.ms);
  }
  return {
    samples: total.length,
    backgroundStoppedP50: round(percentile(stopped, 50)),
    backgroundStoppedSamples: stopped.length,
    launchP50: round(percentile(launch, 50)),
    bridgeP50: round(percentile(bridge, 50)),
    firstTokenP50: round(percentile(first, 50)),
    firstTokenSettledP50: round(percentile(settled, 50)),
    secondTokenP50: round(percentile(second, 50)),
    totalP50: round(percentile(total, 50)),
    totalMax: round(total.length ? Math.max(...total) : undefined),
    failures,
  };
}
