/**
 * What raising the budgets changes for the bench's round trips (printed by `npm run bench`, never
 * asserted): the cached-token round trip with the default budgets (50 asks/s) and with the raised
 * ones (raise-budgets.ts), side by side in one signed-in browser. To stay within the default budget
 * both are paced the same way: blocks of 40 asks, each in a fresh one-second window, alternating
 * which limits apply. The budget check runs on every ask either way, so a ratio near 1 says the
 * other rows, measured with raised limits, time the same path a well-behaved page takes.
 *
 * `npm run bench -- --only=budget-cost` runs just this.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { ORIGIN_BUDGETS_KEY } from "../../extension/background/budget-setting.js";
import { EmulatorHandle } from "../support/extension-emulator.js";
import { ExtensionBrowser } from "../support/extension-browser.js";
import { startFixtureServer } from "../support/extension-fixture-server.js";
import { appPopup } from "../support/extension-page-calls.js";
import { timeCachedRoundTrips } from "./bridge-timing.js";
import { raiseBudgets } from "./raise-budgets.js";
import { sideBySide, type SampleSummary } from "./stats.js";

export interface BudgetBenchResult {
  /** Round trip in ms at 40 asks per second-window, with the default limits and with the raised ones. */
  defaultBudgets: SampleSummary;
  raisedBudgets: SampleSummary;
  /** default / raised. */
  ratio: SampleSummary;
  samplesEach: number;
}

/** Under the default 50 asks/s, with room for the relay's own asks. */
const BLOCK = 40;
/** Longer than the one-second window, so each block starts a fresh one. */
const WINDOW_PAUSE_MS = 1_100;

export async function runBudgetBench(options: { samples?: number } = {}): Promise<BudgetBenchResult> {
  const blocks = Math.ceil((options.samples ?? 400) / BLOCK);
  const emulator = await EmulatorHandle.start();
  const fixture = await startFixtureServer();
  const browser = await new ExtensionBrowser(emulator).launch();
  try {
    await browser.configure([fixture.origin]);
    const page = await browser.openApp(fixture.appUrl({ authority: emulator.authority, clientId: emulator.clientId }));
    const [signedIn] = await Promise.all([appPopup(page), browser.completeSignIn()]);
    if (!signedIn.ok) throw new Error(`sign-in failed: ${signedIn.message}`);
    await (await browser.extensionMessenger()).close();
    const worker = await browser.worker();
    const times = { defaultBudgets: [] as number[], raisedBudgets: [] as number[] };
    await sleep(WINDOW_PAUSE_MS);
    await timeCachedRoundTrips(page, emulator.clientId, 20); // warm-up, within the default budget
    for (let b = 0; b < blocks * 2; b++) {
      // ABBA order (default, raised, raised, default, …), so drift over the run hits both alike.
      const variant: keyof typeof times = b % 4 === 0 || b % 4 === 3 ? "defaultBudgets" : "raisedBudgets";
      if (variant === "raisedBudgets") await raiseBudgets(worker);
      else await worker.evaluate((key) => chrome.storage.local.remove(key), ORIGIN_BUDGETS_KEY);
      await sleep(WINDOW_PAUSE_MS);
      times[variant].push(...(await timeCachedRoundTrips(page, emulator.clientId, BLOCK)));
    }
    const compared = sideBySide(times.defaultBudgets, times.raisedBudgets);
    return { defaultBudgets: compared.a, raisedBudgets: compared.b, ratio: compared.ratio, samplesEach: times.defaultBudgets.length };
  } finally {
    await browser.close();
    await fixture.close();
    await emulator.close();
  }
}
