/**
 * The broker's status as token-free views (shared/protocol/views.ts): the shape `status()` returns and
 * the popup shows. Copies field by field, so nothing the chain adds later can leak a token value.
 */
import type { BrokerStatus, SilentBackoffState } from "../../shared/chain/broker-types.js";
import { gateSubject } from "../../shared/resilience/gate-keys.js";
import { accountView, type SilentAttemptView, type StatusView } from "../protocol/views.js";

/**
 * The silent step keys its records `<clientId>|<homeAccountId or hint:…>[|<scopes>]`
 * (silent-authorize-step.ts backoffKeys); the view names the account and drops the key, which the
 * popup must never show.
 */
function silentAttemptView(record: SilentBackoffState): SilentAttemptView {
  const who = record.key.split("|")[1] ?? "";
  return {
    kind: record.kind,
    code: record.code,
    until: record.until,
    remainingMs: record.remainingMs,
    ...(who && !who.startsWith("hint:") ? { homeAccountId: who } : {}),
  };
}

export function statusView(status: BrokerStatus, nextAlarmAt: number | undefined, now: number): StatusView {
  const view: StatusView = {
    now,
    accounts: status.accounts.map((a) => accountView(a, a.homeAccountId === status.activeAccountId)),
    cache: status.cache.map((c) => ({
      homeAccountId: c.homeAccountId,
      clientId: c.clientId,
      scopes: [...c.scopes],
      expiresOn: c.expiresOn,
      refreshOn: c.refreshOn,
      hasRefreshToken: c.hasRefreshToken,
      claimsBound: c.claimsBound,
    })),
    // Keys are internal: the view names what they hold back (every key is built by gate-keys.ts).
    gates: status.gates.flatMap((g) => {
      const subject = gateSubject(g.key);
      return subject ? [{ subject, closedUntil: g.closedUntil, remainingMs: g.remainingMs }] : [];
    }),
    breakers: status.breakers.flatMap((b) => {
      const subject = gateSubject(b.key);
      if (!subject) return [];
      return [{ subject, phase: b.phase, consecutiveFailures: b.consecutiveFailures, ...(b.openUntil !== undefined ? { openUntil: b.openUntil } : {}) }];
    }),
  };
  if (status.silent) view.silent = status.silent.map(silentAttemptView);
  if (status.cooldownUntil !== undefined) view.cooldownUntil = status.cooldownUntil;
  if (nextAlarmAt !== undefined) view.nextAlarmAt = nextAlarmAt;
  return view;
}
