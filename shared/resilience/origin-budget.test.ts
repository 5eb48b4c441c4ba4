import { describe, expect, it } from "vitest";
import { FakeClock } from "../../e2e/support/unit/fake-clock.js";
import { OriginBudgets, type BudgetVerdict } from "./origin-budget.js";

const A = "https://a.example";
const B = "https://b.example";
const LIMITS = { asksPerSecond: 5, scopeSetsPerMinute: 3, forcedRefreshesPerMinute: 2 };
const ask = (scopeKey = "user.read", forceRefresh = false) => ({ scopeKey, forceRefresh });
const refused = (v: BudgetVerdict) => (v.ok ? undefined : { budget: v.flag.budget, count: v.flag.count, limit: v.flag.limit, retryAfterMs: v.retryAfterMs });

describe("OriginBudgets", () => {
  it("lets asks within every budget through and flags nobody", () => {
    const budgets = new OriginBudgets(new FakeClock(), LIMITS);
    for (let i = 0; i < 5; i++) expect(budgets.ask(A, ask()).ok).toBe(true);
    expect(budgets.flagged()).toEqual([]);
  });

  it("refuses asks over the per-second budget with the wait to the window's end; the next second is fresh", async () => {
    const clock = new FakeClock();
    const budgets = new OriginBudgets(clock, LIMITS);
    for (let i = 0; i < 5; i++) budgets.ask(A, ask());
    await clock.advance(400);
    expect(refused(budgets.ask(A, ask()))).toEqual({ budget: "asks_per_second", count: 6, limit: 5, retryAfterMs: 600 });
    expect(refused(budgets.ask(A, ask()))?.count).toBe(7);
    await clock.advance(600);
    expect(budgets.ask(A, ask()).ok).toBe(true);
  });

  it("reads limits given as a function on every ask: a raised limit applies from the next ask", () => {
    let limits = LIMITS;
    const budgets = new OriginBudgets(new FakeClock(), () => limits);
    for (let i = 0; i < 5; i++) budgets.ask(A, ask());
    expect(refused(budgets.ask(A, ask()))).toMatchObject({ budget: "asks_per_second", count: 6, limit: 5 });
    limits = { ...LIMITS, asksPerSecond: 10 };
    expect(budgets.ask(A, ask()).ok).toBe(true);
  });

  it("refuses new scope sets over the per-minute budget, keeps serving the sets already seen", async () => {
    const clock = new FakeClock();
    const budgets = new OriginBudgets(clock, LIMITS);
    for (const s of ["a", "b", "c"]) expect(budgets.ask(A, ask(s)).ok).toBe(true);
    await clock.advance(10_000);
    expect(refused(budgets.ask(A, ask("d")))).toEqual({ budget: "scope_sets_per_minute", count: 4, limit: 3, retryAfterMs: 50_000 });
    expect(refused(budgets.ask(A, ask("e")))?.count).toBe(5);
    expect(budgets.ask(A, ask("b")).ok).toBe(true);
    await clock.advance(50_000);
    expect(budgets.ask(A, ask("d")).ok).toBe(true);
  });

  it("refuses forced refreshes over their budget while plain asks go on", () => {
    const budgets = new OriginBudgets(new FakeClock(), LIMITS);
    expect(budgets.ask(A, ask("x", true)).ok).toBe(true);
    expect(budgets.ask(A, ask("x", true)).ok).toBe(true);
    expect(refused(budgets.ask(A, ask("x", true)))).toMatchObject({ budget: "forced_refreshes_per_minute", count: 3, limit: 2 });
    expect(budgets.ask(A, ask("x")).ok).toBe(true);
  });

  it("keeps origins apart: one over budget does not touch another", () => {
    const budgets = new OriginBudgets(new FakeClock(), LIMITS);
    for (let i = 0; i < 10; i++) budgets.ask(A, ask(`s${i}`));
    expect(budgets.ask(B, ask("s9")).ok).toBe(true);
    expect(budgets.flagged().map((f) => f.origin)).toEqual([A]);
  });

  it("flags a site with its numbers while it waits and for a minute after; forget() drops it", async () => {
    const clock = new FakeClock();
    const budgets = new OriginBudgets(clock, { ...LIMITS, asksPerSecond: 1000 });
    for (let i = 0; i < 6; i++) budgets.ask(A, ask(`s${i}`));
    const start = clock.now();
    expect(budgets.flagged()).toEqual([{ origin: A, budget: "scope_sets_per_minute", count: 6, limit: 3, since: start, until: start + 60_000 }]);
    await clock.advance(119_999);
    expect(budgets.flagged()).toHaveLength(1);
    await clock.advance(1);
    expect(budgets.flagged()).toEqual([]);
    budgets.ask(A, ask("n1"));
    budgets.ask(A, ask("n2"));
    budgets.ask(A, ask("n3"));
    budgets.ask(A, ask("n4"));
    expect(budgets.flagged()).toHaveLength(1);
    budgets.forget(A);
    expect(budgets.flagged()).toEqual([]);
  });

  it("a loop through 10,000 scope sets: the first sets keep being served, every later one is refused", () => {
    const budgets = new OriginBudgets(new FakeClock(), { ...LIMITS, asksPerSecond: 100_000 });
    const served = Array.from({ length: 10_000 }, (_, i) => budgets.ask(A, ask(`s${i}`)).ok).filter(Boolean).length;
    expect(served).toBe(3);
    expect(budgets.ask(A, ask("s1")).ok).toBe(true);
    expect(refused(budgets.ask(A, ask("s9999")))?.count).toBe(10_001);
  });
});
