/**
 * Cold start on both engines, side by side in one run (printed by `npm run bench`, never asserted):
 * per engine one emulator, one granted origin, the browser with the built extension signed in once,
 * then browser-start-bench.ts's background-stopped and browser-restart samples.
 */
import { ExtensionBrowser } from "../support/extension-browser.js";
import type { EmulatorHandle } from "../support/extension-emulator.js";
import { startSignedInWith, stopAll, type ExtensionStack } from "../support/extension-stack.js";
import { FirefoxExtensionBrowser } from "../support/firefox-browser.js";
import { measureColdStarts, SETTLE_MS, type BrowserStartResult, type ColdStartBrowser } from "./browser-start-bench.js";
import { table } from "./report-table.js";
import { ms, ratio } from "./stats.js";

export type Engine = "chromium" | "firefox";

const LAUNCHERS: Record<Engine, (emulator: EmulatorHandle) => Promise<ColdStartBrowser>> = {
  chromium: (emulator) => new ExtensionBrowser(emulator).launch(),
  firefox: (emulator) => new FirefoxExtensionBrowser(emulator).launch(),
};

export async function runColdStartBench(options: { engines?: Engine[]; samples?: number } = {}): Promise<Partial<Record<Engine, BrowserStartResult>>> {
  const results: Partial<Record<Engine, BrowserStartResult>> = {};
  for (const engine of options.engines ?? (["chromium", "firefox"] as const)) {
    let stack: (ExtensionStack<ColdStartBrowser> & { tab: Awaited<ReturnType<ColdStartBrowser["openApp"]>> }) | undefined;
    try {
      stack = await startSignedInWith(LAUNCHERS[engine]);
      results[engine] = await measureColdStarts(stack.browser, stack.tab, stack.appUrl(), stack.emulator.clientId, options.samples);
    } finally {
      await stopAll(stack ?? {});
    }
  }
  return results;
}

/** The cold-start table: one column per engine. */
export function renderColdStart(results: Partial<Record<Engine, BrowserStartResult>>): string {
  const engines = Object.keys(results) as Engine[];
  const rows: Array<[string, (r: BrowserStartResult) => string]> = [
    ["background stopped → first token, p50 ms", (r) => ms(r.backgroundStoppedP50)],
    ["restart: relaunch → browser up, p50 ms", (r) => ms(r.launchP50)],
    ["restart: browser up → bridge in the page, p50 ms", (r) => ms(r.bridgeP50)],
    ["restart: bridge → first token (asked at once), p50 ms", (r) => ms(r.firstTokenP50)],
    [`restart: bridge + ${SETTLE_MS / 1000} s → first token, p50 ms`, (r) => ms(r.firstTokenSettledP50)],
    ["restart: second token, p50 ms", (r) => ms(r.secondTokenP50)],
    ["restart first token ÷ background stopped", (r) => ratio(r.firstTokenP50, r.backgroundStoppedP50)],
    ["restart: relaunch → first token, p50 / max ms", (r) => `${ms(r.totalP50)} / ${ms(r.totalMax)}`],
    ["samples (stopped / restart) · failures", (r) => `${r.backgroundStoppedSamples} / ${r.samples} · ${r.failures.length}`],
  ];
  return table(
    "Cold start → first cached token, per engine",
    ["cold start", ...engines],
    rows.map(([label, cell]) => [label, ...engines.map((e) => cell(results[e]!))]),
  );
}
