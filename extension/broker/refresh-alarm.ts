/**
 * Proactive refresh (R7) and backoff retries on chrome.alarms, so they survive worker termination:
 * one alarm at the earliest `refreshOn`; when a refresh could not happen (IdP throttling or down),
 * the next attempt is spaced by the jittered exponential backoff (first ≥ 5 s) or the Retry-After wait.
 */
import type { TokenBroker } from "../../shared/chain/broker-types.js";
import { AuthShellError } from "../../shared/errors.js";
import { webRandom } from "../../shared/platform/web-crypto.js";
import type { Emit, ExtensionEventType } from "../../shared/events.js";
import type { Clock } from "../../shared/ports.js";
import { backoffDelay } from "../../shared/resilience/backoff.js";
import { browser } from "../platform/browser-api.js";

export const REFRESH_ALARM = "rtb-refresh";
const ATTEMPT_KEY = "refreshAttempt";

/**
 * When the next alarm should fire. `nextRefreshAt` is the broker's: the earliest refreshOn or owed
 * refresh, already pushed past the token endpoint's Retry-After gate and breaker window — the
 * breaker IS the backoff, so a future time is used as it is. When it is due already (nothing holds
 * the endpoint back, yet the last run could not refresh), the alarm backs off by its own count.
 */
export function nextAlarmTime(
  now: number,
  nextRefreshAt: number | undefined,
  attempt: number,
  retryAfterMs: number | undefined,
  random = webRandom,
): number | undefined {
  if (nextRefreshAt === undefined) return undefined;
  if (nextRefreshAt > now) return Math.max(nextRefreshAt, now + (retryAfterMs ?? 0));
  // Due already: back off, honouring a longer Retry-After.
  const wait = Math.max(backoffDelay(Math.max(1, attempt), random), retryAfterMs ?? 0);
  return now + wait;
}

async function readAttempt(): Promise<number> {
  const value = (await browser.storage.session.get(ATTEMPT_KEY))[ATTEMPT_KEY];
  return typeof value === "number" ? value : 0;
}

/**
 * (Re)arms the alarm from the broker's nextRefreshAt. An alarm already set for a time that is still
 * allowed (not before nextRefreshAt) and not later than the new one is kept: pages asking every
 * second must not keep pushing the background retry away.
 */
export async function scheduleRefresh(broker: TokenBroker, clock: Clock, retryAfterMs?: number): Promise<number | undefined> {
  const [next, attempt] = await Promise.all([broker.nextRefreshAt(), readAttempt()]);
  const now = clock.now();
  const at = nextAlarmTime(now, next, attempt, retryAfterMs);
  if (at === undefined) {
    await browser.alarms.clear(REFRESH_ALARM);
    return undefined;
  }
  const existing = await browser.alarms.get(REFRESH_ALARM);
  const earliest = Math.max(next ?? now, now + (retryAfterMs ?? 0));
  if (existing && existing.scheduledTime >= earliest - 500 && existing.scheduledTime <= at + 500) return existing.scheduledTime;
  await browser.alarms.create(REFRESH_ALARM, { when: at });
  return at;
}

/**
 * The alarm fired: refresh what is due (one attempt each, no in-worker sleeps), then ALWAYS re-arm —
 * at the breaker's next window when the IdP is still down — so the retries go on until a refresh
 * succeeds, whatever this run met.
 */
export async function runRefreshAlarm(broker: TokenBroker, clock: Clock, emit: Emit<ExtensionEventType>): Promise<void> {
  let retryAfterMs: number | undefined;
  let attempt = await readAttempt().catch(() => 0);
  try {
    const refreshed = await broker.refreshDue();
    const next = await broker.nextRefreshAt();
    attempt = next !== undefined && next <= clock.now() ? attempt + 1 : 0;
    emit("alarm.refresh", `Proactive refresh: ${refreshed} token(s) refreshed`, { refreshed, ...(next !== undefined ? { nextAt: next } : {}) });
  } catch (error) {
    const e = AuthShellError.from(error);
    attempt += 1;
    retryAfterMs = e.retryAfterMs;
    emit("alarm.refresh_failed", `Proactive refresh failed (${e.code}); retry attempt ${attempt}`, { code: e.code, attempt });
  }
  try {
    await browser.storage.session.set({ [ATTEMPT_KEY]: attempt });
    await scheduleRefresh(broker, clock, retryAfterMs);
  } catch {
    // Never leave the retries without an alarm: back off from now.
    const now = clock.now();
    await browser.alarms.create(REFRESH_ALARM, { when: nextAlarmTime(now, now, attempt, retryAfterMs)! });
  }
}

/** A page request was answered (token, cached token, or a retryable error): re-arm the alarm. */
export async function onTokenActivity(broker: TokenBroker, clock: Clock): Promise<void> {
  const next = await broker.nextRefreshAt();
  if (next !== undefined && next > clock.now()) await browser.storage.session.set({ [ATTEMPT_KEY]: 0 });
  await scheduleRefresh(broker, clock);
}
