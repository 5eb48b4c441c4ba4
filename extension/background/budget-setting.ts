/**
 * Our extension's per-origin budgets (issue 22; the library enforces them): a setting in
 * storage.local, `originBudgets: { asksPerSecond, scopeSetsPerMinute, forcedRefreshesPerMinute }`, an
 * administrator's or a test's way to change them without a rebuild (the bench raises them: it
 * measures the broker, not the budget). Each field is an integer within its bounds or its default
 * (50, 12, 300); a field left out or out of bounds means its default, a value that is not an object
 * means all three defaults.
 *
 * Every ask reads the limits, so they live in memory: read once at worker start and again on every
 * change of the key, never from storage per ask.
 */
import * as v from "valibot";
import { DEFAULT_BUDGET_LIMITS, type BudgetLimits } from "../../shared/resilience/origin-budget.js";

export const ORIGIN_BUDGETS_KEY = "originBudgets";

/** The highest value each limit takes: far above any page's need, low enough to stay a limit. */
export const BUDGET_LIMIT_MAX: Readonly<BudgetLimits> = { asksPerSecond: 100_000, scopeSetsPerMinute: 10_000, forcedRefreshesPerMinute: 10_000 };

const limit = (name: keyof BudgetLimits) =>
  v.optional(v.fallback(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(BUDGET_LIMIT_MAX[name])), DEFAULT_BUDGET_LIMITS[name]), DEFAULT_BUDGET_LIMITS[name]);

const OriginBudgetsSetting = v.fallback(
  v.object({ asksPerSecond: limit("asksPerSecond"), scopeSetsPerMinute: limit("scopeSetsPerMinute"), forcedRefreshesPerMinute: limit("forcedRefreshesPerMinute") }),
  () => ({ ...DEFAULT_BUDGET_LIMITS }),
);

/** The limits a stored `originBudgets` value stands for (see the module comment). */
export function budgetLimitsFrom(stored: unknown): BudgetLimits {
  return v.parse(OriginBudgetsSetting, stored);
}

export interface BudgetSettingPorts {
  get(key: string): Promise<Record<string, unknown>>;
  onChanged: { addListener(listener: (changes: Record<string, { newValue?: unknown }>) => void): void };
}

/**
 * The current limits, kept in memory: the defaults until the first read answers, then the stored
 * setting, then each change. A failed read keeps the defaults and is reported.
 */
export function watchBudgetSetting(storage: BudgetSettingPorts, onError: (message: string) => void): () => BudgetLimits {
  let limits = budgetLimitsFrom(undefined);
  let changed = false;
  storage.onChanged.addListener((changes) => {
    if (!(ORIGIN_BUDGETS_KEY in changes)) return;
    changed = true;
    limits = budgetLimitsFrom(changes[ORIGIN_BUDGETS_KEY]!.newValue);
  });
  storage.get(ORIGIN_BUDGETS_KEY).then(
    (items) => {
      // A change that arrived while the read was under way is newer than what the read saw.
      if (!changed) limits = budgetLimitsFrom(items[ORIGIN_BUDGETS_KEY]);
    },
    (error: unknown) => onError(`Could not read the per-site budgets setting; the defaults apply: ${error instanceof Error ? error.message : String(error)}`),
  );
  return () => limits;
}
