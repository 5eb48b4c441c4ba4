/**
 * Per-origin budgets for what a permitted page may ask of the broker (issue 22: abuse by a permitted
 * page contained). RFC 10017 says nothing in the front end stops script on an allowed origin from
 * acquiring tokens through the broker; what the broker can do is bound how fast, and make it visible.
 *
 * Three budgets, each in a fixed window that starts at the origin's first ask in it:
 * - asks per second (every token request, cached answers included);
 * - distinct scope sets per minute (a page cycling through resources to harvest tokens): asks for a
 *   scope set already seen in the window stay within budget, only new ones are refused;
 * - forced refreshes per minute: a runaway loop of forced refreshes flooding the worker. It is not what
 *   bounds IdP traffic — the chain's forced-refresh limit does that (3 per 15 s per client, account and
 *   scopes, the rest served from the cache: docs/decisions/0001-forced-refresh-limit.md) — so the
 *   default leaves room for well-behaved apps that force a refresh every second in several tabs (the
 *   demo's 429 storm does), and stops only a loop.
 *
 * Each ask costs O(1): one counter per window and one Set lookup; nothing is sorted or scanned. The
 * state is in memory: a restarted worker forgets it, which at worst lets one more window through.
 * A site over a budget is flagged with its numbers (which budget, how many asks) while it waits and
 * for a minute after, so a person opening the popup sees a site that was looping a moment ago.
 */
import type { Clock } from "../ports.js";

export type BudgetName = "asks_per_second" | "scope_sets_per_minute" | "forced_refreshes_per_minute";

export interface BudgetLimits {
  /** Token requests per origin per second. Default 50: ten tabs of one app booting at once ask ~20. */
  asksPerSecond: number;
  /** Distinct scope sets per origin per minute. Default 12: an app uses a handful of resources. */
  scopeSetsPerMinute: number;
  /** Forced refreshes per origin per minute. Default 300: a runaway loop (the chain also limits 3 per 15 s per account and scopes). */
  forcedRefreshesPerMinute: number;
}

export const DEFAULT_BUDGET_LIMITS: Readonly<BudgetLimits> = { asksPerSecond: 50, scopeSetsPerMinute: 12, forcedRefreshesPerMinute: 300 };

/** What a page asks, as far as the budgets care. */
export interface BudgetAsk {
  /** The requested scopes, normalised by the caller (lower case, sorted, space-joined). */
  scopeKey: string;
  forceRefresh: boolean;
}

/** A site that went over a budget: shown in the popup with its numbers. */
export interface BudgetFlag {
  origin: string;
  budget: BudgetName;
  /** The asks counted against that budget in the window that was exceeded (refused ones included). */
  count: number;
  limit: number;
  /** When the site first went over in this window, and when its wait ends (epoch ms). */
  since: number;
  until: number;
}

export type BudgetVerdict = { ok: true } | { ok: false; flag: BudgetFlag; retryAfterMs: number };

const SECOND = 1000;
const MINUTE = 60_000;
/** How long a flag stays listed after its wait ended. */
const FLAG_SHOWN_MS = MINUTE;

interface CountingWindow {
  start: number;
  count: number;
}

interface OriginState {
  asks: CountingWindow;
  scopeSets: CountingWindow & { seen: Set<string> };
  forced: CountingWindow;
  flag?: BudgetFlag;
}

function freshWindow(w: CountingWindow, now: number, length: number): boolean {
  if (now - w.start < length) return false;
  w.start = now;
  w.count = 0;
  return true;
}

export class OriginBudgets {
  private readonly origins = new Map<string, OriginState>();

  private readonly limitsNow: () => BudgetLimits;

  /**
   * `limits` may be a function, read once per ask (so a changed setting applies from the next ask);
   * it must answer from memory, as every ask pays for it.
   */
  constructor(
    private readonly clock: Pick<Clock, "now">,
    limits: BudgetLimits | (() => BudgetLimits) = DEFAULT_BUDGET_LIMITS,
  ) {
    this.limitsNow = typeof limits === "function" ? limits : () => limits;
  }

  /** Counts one ask of `origin` and says whether it is within every budget. */
  ask(origin: string, ask: BudgetAsk): BudgetVerdict {
    const now = this.clock.now();
    const limits = this.limitsNow();
    const state = this.stateOf(origin, now);
    freshWindow(state.asks, now, SECOND);
    if (++state.asks.count > limits.asksPerSecond) {
      return this.over(origin, state, "asks_per_second", state.asks, limits.asksPerSecond, SECOND, now);
    }
    if (freshWindow(state.scopeSets, now, MINUTE)) state.scopeSets.seen.clear();
    if (!state.scopeSets.seen.has(ask.scopeKey)) {
      // Refused sets are counted (the flag shows how hard the site pushed) but never remembered, so
      // the Set stays bounded by the limit.
      if (++state.scopeSets.count > limits.scopeSetsPerMinute) {
        return this.over(origin, state, "scope_sets_per_minute", state.scopeSets, limits.scopeSetsPerMinute, MINUTE, now);
      }
      state.scopeSets.seen.add(ask.scopeKey);
    }
    if (ask.forceRefresh) {
      freshWindow(state.forced, now, MINUTE);
      if (++state.forced.count > limits.forcedRefreshesPerMinute) {
        return this.over(origin, state, "forced_refreshes_per_minute", state.forced, limits.forcedRefreshesPerMinute, MINUTE, now);
      }
    }
    return { ok: true };
  }

  /** The sites over a budget now or within the last minute, for the popup. */
  flagged(): BudgetFlag[] {
    const now = this.clock.now();
    const out: BudgetFlag[] = [];
    for (const state of this.origins.values()) if (state.flag && state.flag.until + FLAG_SHOWN_MS > now) out.push({ ...state.flag });
    return out;
  }

  /** Forgets an origin (its grant was removed). */
  forget(origin: string): void {
    this.origins.delete(origin);
  }

  private stateOf(origin: string, now: number): OriginState {
    let state = this.origins.get(origin);
    if (!state) {
      state = { asks: { start: now, count: 0 }, scopeSets: { start: now, count: 0, seen: new Set() }, forced: { start: now, count: 0 } };
      this.origins.set(origin, state);
    }
    return state;
  }

  private over(origin: string, state: OriginState, budget: BudgetName, counted: CountingWindow, limit: number, length: number, now: number): BudgetVerdict {
    const until = counted.start + length;
    const same = state.flag?.budget === budget && state.flag.until === until;
    state.flag = { origin, budget, count: counted.count, limit, since: same ? state.flag!.since : now, until };
    return { ok: false, flag: { ...state.flag }, retryAfterMs: until - now };
  }
}
