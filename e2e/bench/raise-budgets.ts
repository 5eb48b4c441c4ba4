/**
 * The bench drives cached-token round trips back to back (~600 asks/s from one origin, against a
 * budget of 50/s) and forces a refresh every second in each of ten tabs (10/s, against 300/min):
 * over budget, the broker would answer `over_budget` and the bench would time refusals. So every bench
 * part that asks the extension raises them to their highest values first, through the documented
 * `originBudgets` setting (extension/background/budget-setting.ts) — the bench and nothing else.
 * The budget check still runs on every ask (only the limits it compares against change), so the
 * round trips measured include its cost; `--only=budget-cost` sets them side by side.
 */
import type { BrowserContext, Worker } from "@playwright/test";
import { BUDGET_LIMIT_MAX, ORIGIN_BUDGETS_KEY } from "../../extension/background/budget-setting.js";
import { serviceWorkerOf } from "../support/extension-browser.js";

export const BENCH_BUDGETS = BUDGET_LIMIT_MAX;

export const BUDGETS_NOTE =
  `Per-origin budgets raised for the bench (${JSON.stringify(BENCH_BUDGETS)} through the originBudgets setting): ` +
  "it measures the broker, not the budget; the budget check itself still runs on every ask (see budgetCost, `--only=budget-cost`).";

/** Sets the raised limits in the extension's storage.local; the worker applies them from its next ask. */
export async function raiseBudgets(target: BrowserContext | Worker): Promise<void> {
  const worker = "serviceWorkers" in target ? await serviceWorkerOf(target) : target;
  await worker.evaluate(([key, limits]) => chrome.storage.local.set({ [key]: limits }), [ORIGIN_BUDGETS_KEY, BENCH_BUDGETS] as const);
}
