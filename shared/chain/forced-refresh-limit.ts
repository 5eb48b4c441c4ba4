import { resourceScopes } from "../cache/scopes.js";
import type { Clock } from "../ports.js";
import type { AcquisitionContext } from "./acquisition-step.js";
import type { BrokerPolicy } from "./broker-types.js";

/** Forced refreshes of the same client, account and resource scopes share one limit. */
export function forcedRefreshKey(context: AcquisitionContext, homeAccountId: string): string {
  return `${context.clientId.toLowerCase()}|${homeAccountId}|${resourceScopes(context.scopes).join(" ")}`;
}

/**
 * Counts the forced refreshes that reached the IdP, per client, account and scopes, within
 * `policy.forcedRefreshLimit.intervalMs`. In memory: a restarted worker forgets them, which at worst
 * lets one more burst through.
 */
export class ForcedRefreshLimit {
  private readonly grants = new Map<string, number[]>();

  constructor(
    private readonly clock: Clock,
    private readonly limit: BrokerPolicy["forcedRefreshLimit"],
  ) {}

  /** When the last forced refresh for `key` was made, while the limit is reached; else undefined. */
  reachedSince(key: string): number | undefined {
    const recent = this.recent(key);
    return this.limit.count > 0 && recent.length >= this.limit.count ? Math.max(...recent) : undefined;
  }

  /** A forced refresh for `key` that started at `at` reached the IdP. */
  record(key: string, at: number): void {
    this.grants.set(key, [...this.recent(key), at]);
  }

  private recent(key: string): number[] {
    const now = this.clock.now();
    return (this.grants.get(key) ?? []).filter((at) => now - at < this.limit.intervalMs);
  }
}
