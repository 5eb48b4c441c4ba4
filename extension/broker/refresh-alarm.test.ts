import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createHarness, signIn, type Harness } from "../../shared/chain/broker-harness.test-support.js";
import type { Random } from "../../shared/ports.js";
import { REFRESH_ALARM, nextAlarmTime, onTokenActivity, runRefreshAlarm } from "./refresh-alarm.js";

const noJitter: Random = { bytes: (n) => new Uint8Array(n), float: () => 0 };
const now = 1_000_000;

describe("nextAlarmTime", () => {
  it("fires at the broker's next refresh time (refreshOn, or the end of the token endpoint's backoff window)", () => {
    expect(nextAlarmTime(now, now + 60_000, 0, undefined, noJitter)).toBe(now + 60_000);
    expect(nextAlarmTime(now, now + 7_000, 3, undefined, noJitter)).toBe(now + 7_000);
    expect(nextAlarmTime(now, undefined, 0, undefined, noJitter)).toBeUndefined();
  });

  it("backs off ≥ 5 s, doubling, when a refresh is already due yet could not happen", () => {
    expect(nextAlarmTime(now, now - 1, 0, undefined, noJitter)).toBe(now + 5_000);
    expect(nextAlarmTime(now, now - 1, 1, undefined, noJitter)).toBe(now + 5_000);
    expect(nextAlarmTime(now, now - 1, 2, undefined, noJitter)).toBe(now + 10_000);
    expect(nextAlarmTime(now, now - 1, 3, undefined, noJitter)).toBe(now + 20_000);
  });

  it("honours a longer Retry-After", () => {
    expect(nextAlarmTime(now, now - 1, 1, 120_000, noJitter)).toBe(now + 120_000);
    expect(nextAlarmTime(now, now + 1_000, 0, 120_000, noJitter)).toBe(now + 120_000);
  });
});

/** chrome.alarms and chrome.storage.session, in memory; alarms fire only when the test says so. */
function installFakeChrome() {
  const alarms = new Map<string, { name: string; scheduledTime: number }>();
  const session = new Map<string, unknown>();
  const fake = {
    alarms: {
      create: async (name: string, info: { when: number }) => void alarms.set(name, { name, scheduledTime: info.when }),
      get: async (name: string) => alarms.get(name),
      clear: async (name: string) => alarms.delete(name),
    },
    storage: {
      session: {
        get: async (key: string) => (session.has(key) ? { [key]: session.get(key) } : {}),
        set: async (items: Record<string, unknown>) => Object.entries(items).forEach(([k, v]) => session.set(k, v)),
      },
    },
  };
  vi.stubGlobal("chrome", fake);
  return alarms;
}

describe("refresh alarm during a 5xx outage (fake chrome.alarms, FakeClock)", () => {
  let h: Harness;
  let alarms: ReturnType<typeof installFakeChrome>;

  beforeEach(async () => {
    alarms = installFakeChrome();
    h = createHarness({ policy: { callerMaxAttempts: 1, backgroundMaxAttempts: 1 } });
    h.idp.hasSession = false;
    await signIn(h);
  });

  afterEach(() => {
    vi.unstubAllGlobals();
  });

  /** Moves the clock to the alarm's time and fires it, as Chrome does (a one-shot alarm is gone once fired). */
  async function fireAlarm(): Promise<number> {
    const alarm = alarms.get(REFRESH_ALARM);
    if (!alarm) throw new Error("no alarm armed: the background retries stopped");
    await h.clock.advance(Math.max(0, alarm.scheduledTime - h.clock.now()));
    alarms.delete(REFRESH_ALARM);
    await runRefreshAlarm(h.broker, h.clock, () => undefined);
    return alarm.scheduledTime;
  }

  it("a forced refresh failed by 503s is retried by the alarm alone, spaced ≥ 5 s and growing, until it succeeds", async () => {
    await onTokenActivity(h.broker, h.clock);
    const proactiveAt = alarms.get(REFRESH_ALARM)!.scheduledTime; // refreshOn: far ahead
    await h.clock.advance(60_000);
    h.idp.faults.push({ status: 503 }, { status: 503 }, { status: 503 });

    // A page forces a refresh: 503, it gets the cached token; the naa handler re-arms the alarm.
    const served = await h.broker.acquireToken({ scopes: ["User.Read"], allowInteraction: false, forceRefresh: true });
    expect(served.source).toBe("cache");
    await onTokenActivity(h.broker, h.clock);
    expect(alarms.get(REFRESH_ALARM)!.scheduledTime).toBeLessThan(proactiveAt);

    // Pages asking again inside the window neither send anything nor push the alarm away.
    const armed = alarms.get(REFRESH_ALARM)!.scheduledTime;
    for (let i = 0; i < 3; i++) {
      await h.clock.advance(1_000);
        await h.broker.acquireToken({ scopes: ["User.Read"], allowInteraction: false, forceRefresh: true });
      await onTokenActivity(h.broker, h.clock);
    }
    expect(alarms.get(REFRESH_ALARM)!.scheduledTime).toBe(armed);

    // From here no page asks: only the alarm retries.
    let fired = 0;
    while (!h.idp.tokenRequests("refresh_token").some((r) => r.response?.status === 200) && fired < 10) {
      await fireAlarm();
      fired++;
    }
    const statuses = h.idp.tokenRequests("refresh_token").map((r) => r.response?.status);
    expect(statuses).toEqual([503, 503, 503, 200]);
    const times = h.idp.tokenRequests("refresh_token").map((r) => r.at);
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    expect(gaps[0]).toBeGreaterThanOrEqual(5_000);
    for (let i = 1; i < gaps.length; i++) expect(gaps[i]).toBeGreaterThan(gaps[i - 1]!);
    // Recovered: the alarm is back at the new token's refreshOn, far ahead.
    expect(alarms.get(REFRESH_ALARM)!.scheduledTime - h.clock.now()).toBeGreaterThan(10 * 60_000);
    const next = await h.broker.acquireToken({ scopes: ["User.Read"], allowInteraction: false });
    expect(next.accessToken).not.toBe(served.accessToken);
  });

  it("a due proactive refresh hitting a 503 re-arms at the breaker's window end, never inside it", async () => {
    await h.clock.advance(31 * 60_000); // past refreshOn (half the 1 h lifetime)
    h.idp.faults.push({ status: 503 });
    await runRefreshAlarm(h.broker, h.clock, () => undefined);
    const [failed] = h.idp.tokenRequests("refresh_token");
    expect(failed?.response?.status).toBe(503);
    const breaker = (await h.broker.status()).breakers[0]!;
    expect(alarms.get(REFRESH_ALARM)!.scheduledTime).toBeGreaterThanOrEqual(breaker.openUntil!);
    await fireAlarm();
    expect(h.idp.tokenRequests("refresh_token").map((r) => r.response?.status)).toEqual([503, 200]);
  });
});
