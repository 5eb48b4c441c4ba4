import { describe, expect, it } from "vitest";
import { DEFAULT_BUDGET_LIMITS } from "../../shared/resilience/origin-budget.js";
import { BUDGET_LIMIT_MAX, ORIGIN_BUDGETS_KEY, budgetLimitsFrom, watchBudgetSetting, type BudgetSettingPorts } from "./budget-setting.js";

const DEFAULTS = { asksPerSecond: 50, scopeSetsPerMinute: 12, forcedRefreshesPerMinute: 300 };

describe("budgetLimitsFrom", () => {
  it("keeps the documented defaults (50 asks/s, 12 scope sets/min, 300 forced refreshes/min)", () => {
    expect(DEFAULT_BUDGET_LIMITS).toEqual(DEFAULTS);
    expect(budgetLimitsFrom(undefined)).toEqual(DEFAULTS);
  });

  it("takes each field that is an integer within its bounds", () => {
    expect(budgetLimitsFrom({ asksPerSecond: 1, scopeSetsPerMinute: 10_000, forcedRefreshesPerMinute: 7 })).toEqual({ asksPerSecond: 1, scopeSetsPerMinute: 10_000, forcedRefreshesPerMinute: 7 });
    expect(budgetLimitsFrom({ ...BUDGET_LIMIT_MAX })).toEqual({ asksPerSecond: 100_000, scopeSetsPerMinute: 10_000, forcedRefreshesPerMinute: 10_000 });
  });

  it("gives a field left out its default, and keeps the others", () => {
    expect(budgetLimitsFrom({ asksPerSecond: 5000 })).toEqual({ ...DEFAULTS, asksPerSecond: 5000 });
    expect(budgetLimitsFrom({})).toEqual(DEFAULTS);
  });

  it.each([
    ["zero", 0],
    ["negative", -5],
    ["a fraction", 2.5],
    ["above the bound", 100_001],
    ["a string", "5000"],
    ["null", null],
    ["infinite", Number.POSITIVE_INFINITY],
    ["NaN", Number.NaN],
  ])("gives a field that is %s its default, and keeps the valid others", (_what, bad) => {
    expect(budgetLimitsFrom({ asksPerSecond: bad, scopeSetsPerMinute: 20 })).toEqual({ ...DEFAULTS, scopeSetsPerMinute: 20 });
  });

  it.each([["a number", 5000], ["a string", "high"], ["null", null], ["an array", [1, 2, 3]]])("means all defaults when the setting is %s", (_what, stored) => {
    expect(budgetLimitsFrom(stored)).toEqual(DEFAULTS);
  });

  it("answers a fresh object each time: a caller changing it changes nobody else's limits", () => {
    const first = budgetLimitsFrom("not an object");
    first.asksPerSecond = 1;
    expect(budgetLimitsFrom("not an object")).toEqual(DEFAULTS);
    expect(DEFAULT_BUDGET_LIMITS.asksPerSecond).toBe(50);
  });
});

function fakeStorage(read: Promise<Record<string, unknown>>) {
  const listeners: Array<(changes: Record<string, { newValue?: unknown }>) => void> = [];
  const ports: BudgetSettingPorts = { get: () => read, onChanged: { addListener: (l) => void listeners.push(l) } };
  return { ports, change: (changes: Record<string, { newValue?: unknown }>) => listeners.forEach((l) => l(changes)) };
}

const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

describe("watchBudgetSetting", () => {
  it("answers the defaults until the stored setting is read, then the setting, then each change of its key", async () => {
    const storage = fakeStorage(Promise.resolve({ [ORIGIN_BUDGETS_KEY]: { asksPerSecond: 5000 } }));
    const limits = watchBudgetSetting(storage.ports, () => undefined);
    expect(limits()).toEqual(DEFAULTS);
    await flush();
    expect(limits()).toEqual({ ...DEFAULTS, asksPerSecond: 5000 });
    storage.change({ scopeDecisionSeconds: { newValue: 5 } });
    expect(limits()).toEqual({ ...DEFAULTS, asksPerSecond: 5000 });
    storage.change({ [ORIGIN_BUDGETS_KEY]: { newValue: { forcedRefreshesPerMinute: 3 } } });
    expect(limits()).toEqual({ ...DEFAULTS, forcedRefreshesPerMinute: 3 });
    storage.change({ [ORIGIN_BUDGETS_KEY]: {} }); // removed
    expect(limits()).toEqual(DEFAULTS);
  });

  it("keeps a change that arrived while the first read was under way", async () => {
    const storage = fakeStorage(Promise.resolve({ [ORIGIN_BUDGETS_KEY]: { asksPerSecond: 60 } }));
    const limits = watchBudgetSetting(storage.ports, () => undefined);
    storage.change({ [ORIGIN_BUDGETS_KEY]: { newValue: { asksPerSecond: 70 } } });
    await flush();
    expect(limits().asksPerSecond).toBe(70);
  });

  it("keeps the defaults and reports when the read fails", async () => {
    const errors: string[] = [];
    const limits = watchBudgetSetting(fakeStorage(Promise.reject(new Error("storage gone"))).ports, (m) => errors.push(m));
    await flush();
    expect(limits()).toEqual(DEFAULTS);
    expect(errors).toEqual(["Could not read the per-site budgets setting; the defaults apply: storage gone"]);
  });
});
