/**
 * The one state the popup header and the toolbar badge show, derived from a StatusView. Pure and
 * clock-free (`now` and `online` are given), so the popup, the worker's badge and the tests agree.
 *
 * Precedence, most urgent first: the network is gone (`offline`); the IdP asked us to wait
 * (`throttled`: a Retry-After gate is closed); the IdP failed and the broker waits before retrying
 * (`backing_off`: a breaker is open or probing, or a failed silent sign-in is held back); the IdP
 * said only the user can help (`needs_sign_in`: sessions revoked, signed out elsewhere); nobody is
 * signed in (`signed_out`); otherwise `ok`. `ok` needs a signed-in account, so nothing reads
 * "healthy" before the IdP was ever contacted.
 */
import type { AccountView, StatusView } from "./views.js";

export const STATUS_STATES = ["signed_out", "ok", "throttled", "backing_off", "offline", "needs_sign_in"] as const;
export type StatusState = (typeof STATUS_STATES)[number];

export interface StatusSummary {
  state: StatusState;
  /** When the broker tries again by itself (throttled, backing_off); absent when it is not waiting on a clock. */
  retryAt?: number;
  /** The account the state is about (ok, needs_sign_in). */
  account?: AccountView;
  /** ok: when the next cached access token lapses (the broker refreshes it before that). */
  expiresOn?: number;
  /** The error code behind the state, for a detail line only. */
  code?: string;
}

export interface SummaryInput {
  now: number;
  /** navigator.onLine where it is known; default true. */
  online?: boolean;
}

function earliest(times: number[]): number | undefined {
  return times.length ? Math.min(...times) : undefined;
}

function withRetry(state: StatusState, retryAt: number | undefined, code?: string): StatusSummary {
  return { state, ...(retryAt !== undefined ? { retryAt } : {}), ...(code ? { code } : {}) };
}

/**
 * The signed-in accounts the IdP answered "no session" for (sessions revoked, signed out elsewhere),
 * each with the answer's code, in the order the answers were remembered. Such an answer holds until a
 * sign-in, a sign-out or a success clears it — also after its wait — so the header, the account list
 * and the token list all say "sign in again" from this one reading.
 */
export function accountsNeedingSignIn(status: Pick<StatusView, "accounts" | "silent">): Map<string, string> {
  const signedIn = new Set(status.accounts.map((a) => a.homeAccountId));
  const ended = new Map<string, string>();
  for (const s of status.silent ?? []) {
    if (s.kind === "no_session" && s.homeAccountId !== undefined && signedIn.has(s.homeAccountId) && !ended.has(s.homeAccountId)) ended.set(s.homeAccountId, s.code);
  }
  return ended;
}

export function summarizeStatus(status: StatusView, { now, online = true }: SummaryInput): StatusSummary {
  if (!online) return { state: "offline" };

  const gates = status.gates.filter((g) => g.closedUntil > now);
  if (gates.length) return withRetry("throttled", earliest(gates.map((g) => g.closedUntil)), "throttled");

  const breakers = status.breakers.filter((b) => b.phase === "open" || b.phase === "half_open");
  const failedSilent = (status.silent ?? []).filter((s) => s.kind === "failed" && s.until > now);
  if (breakers.length || failedSilent.length) {
    const times = [...breakers.map((b) => b.openUntil ?? 0), ...failedSilent.map((s) => s.until)].filter((t) => t > now);
    return withRetry("backing_off", earliest(times), breakers.length ? "idp_unavailable" : failedSilent[0]?.code);
  }

  const [ended] = accountsNeedingSignIn(status);
  if (ended) {
    const [homeAccountId, code] = ended;
    const account = status.accounts.find((a) => a.homeAccountId === homeAccountId);
    return { state: "needs_sign_in", code, ...(account ? { account } : {}) };
  }

  // The active account is the one pages are served for (several may be signed in).
  const account = status.accounts.find((a) => a.active) ?? status.accounts[0];
  if (!account) return { state: "signed_out" };
  const expiresOn = earliest(status.cache.filter((c) => !c.claimsBound && c.expiresOn > now).map((c) => c.expiresOn));
  return { state: "ok", account, ...(expiresOn !== undefined ? { expiresOn } : {}) };
}
