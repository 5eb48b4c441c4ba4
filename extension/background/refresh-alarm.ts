/**
 * Proactive refresh (R7) and backoff retries on chrome.alarms, so they survive worker termination:
 * one alarm at the earliest `refreshOn`; when a refresh could not happen (IdP throttling or down),
 * the next attempt is spaced by the jittered exponential backoff (first ≥ 5 s) or the Retry-After wait.
 */
import type { TokenBroker } from "../../shared/chain/broker-types.js";
import { AuthShellError } from "../../shared/errors.js";
import { webRandom } from "../../shared/platform/web-crypto.js";
import type { EventSink } from "../../shared/ports.js";
import { backoffDelay } from "../../shared/resilience/backoff.js";

export const REFRESH_ALARM = "rtb-refresh";
const ATTEMPT_KEY = "refreshAttempt";

/** When the next alarm should fire, given the earliest refreshOn and the failed-attempt count. */
export function nextAlarmTime(
  now: number,
  nextRefreshAt: number | undefined,
  attempt: number,
  retryAfterMs: number | undefined,
  random = webRandom,
): number | undefined {
  if (nextRefreshAt === undefined) return undefined;
  if (nextRefreshAt > now && attempt === 0) return nextRefreshAt;
  // Due already (or a previous attempt failed): back off, honouring a longer Retry-After.
  const wait = Math.max(backoffDelay(Math.max(1, attempt), random), retryAfterMs ?? 0);
  return Math.max(nextRefreshAt, now + wait);
}

async function readAttempt(): Promise<number> {
  const value = (await chrome.storage.session.get(ATTEMPT_KEY))[ATTEMPT_KEY];
  return typeof value === "number" ? value : 0;
}

/** (Re)arms the alarm from the cache's earliest refreshOn. */
export async function scheduleRefresh(broker: TokenBroker, retryAfterMs?: number): Promise<number | undefined> {
  const [next, attempt] = await Promise.all([broker.nextRefreshAt(), readAttempt()]);
  const at = nextAlarmTime(Date.now(), next, attempt, retryAfterMs);
  if (at === undefined) {
    await chrome.alarms.clear(REFRESH_ALARM);
    return undefined;
  }
  const existing = await chrome.alarms.get(REFRESH_ALARM);
  if (!existing || Math.abs(existing.scheduledTime - at) > 500) await chrome.alarms.create(REFRESH_ALARM, { when: at });
  return at;
}

/** The alarm fired: refresh what is due, then re-arm (backing off if nothing could be refreshed). */
export async function runRefreshAlarm(broker: TokenBroker, events: EventSink): Promise<void> {
  let retryAfterMs: number | undefined;
  let attempt = await readAttempt();
  try {
    const refreshed = await broker.refreshDue();
    const next = await broker.nextRefreshAt();
    attempt = next !== undefined && next <= Date.now() ? attempt + 1 : 0;
    events.emit({ at: Date.now(), type: "alarm.refresh", message: `Proactive refresh: ${refreshed} token(s) refreshed`, detail: { refreshed } });
  } catch (error) {
    const e = AuthShellError.from(error);
    attempt += 1;
    retryAfterMs = e.retryAfterMs;
    events.emit({ at: Date.now(), type: "alarm.refresh_failed", message: `Proactive refresh failed (${e.code}); retry attempt ${attempt}`, detail: { code: e.code, attempt } });
  }
  await chrome.storage.session.set({ [ATTEMPT_KEY]: attempt });
  await scheduleRefresh(broker, retryAfterMs);
}

/** A token was obtained or refreshed by a caller: reset the failure count and re-arm. */
export async function onTokenActivity(broker: TokenBroker): Promise<void> {
  const next = await broker.nextRefreshAt();
  if (next !== undefined && next > Date.now()) await chrome.storage.session.set({ [ATTEMPT_KEY]: 0 });
  await scheduleRefresh(broker);
}
