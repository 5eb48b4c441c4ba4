import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { STATUS_STATES } from "../protocol/status-summary.js";
import type { StatusView } from "../protocol/views.js";
import { stubChromeI18n } from "../i18n/locale-stub.test-support.js";
import { ASKING_LOOK, BADGE_LOOKS, badgeFor, createBadge, type BadgeAction } from "./badge.js";

const NOW = 1_800_000_000_000;
const adele = { homeAccountId: "a.t", username: "adele@contoso.test", tenantId: "t", environment: "e", active: true };
const view = (patch: Partial<StatusView> = {}): StatusView => ({ now: NOW, accounts: [adele], cache: [], gates: [], breakers: [], ...patch });

function fakeAction() {
  const calls: string[] = [];
  const action: BadgeAction = {
    setBadgeText: async ({ text }) => void calls.push(`text:${text}`),
    setBadgeBackgroundColor: async ({ color }) => void calls.push(`color:${color}`),
    setTitle: async ({ title }) => void calls.push(`title:${title}`),
  };
  return { action, calls };
}

beforeEach(() => stubChromeI18n("en"));
afterEach(() => vi.unstubAllGlobals());

describe("badge mapping", () => {
  it("is empty when ok and a distinct short mark for every other state", () => {
    expect(BADGE_LOOKS.ok.text).toBe("");
    const marks = STATUS_STATES.filter((s) => s !== "ok").map((s) => BADGE_LOOKS[s].text);
    expect(marks.every((m) => m.length >= 1 && m.length <= 4)).toBe(true);
    expect(new Set(marks).size).toBe(marks.length);
  });

  it("titles the badge with the popup's sentence and asks to be re-derived when the wait ends", () => {
    const badge = badgeFor({ state: "throttled", retryAt: NOW + 42_000 }, NOW);
    expect(badge).toMatchObject({ state: "throttled", text: BADGE_LOOKS.throttled.text, recheckAt: NOW + 42_000 });
    expect(badge.title).toBe("Resilient Token Broker: The sign-in service asked us to slow down. Retrying in 0:42.");
    expect(badgeFor({ state: "ok", account: adele }, NOW).recheckAt).toBeUndefined();
  });
});

describe("createBadge", () => {
  it("sets text and colour on a state change, the title every time, and rechecks when a wait ends", async () => {
    const { action, calls } = fakeAction();
    let status = view({ gates: [{ subject: { kind: "idp", host: "h", tenant: "t", endpoint: "token" }, closedUntil: NOW + 10_000, remainingMs: 10_000 }] });
    let now = NOW;
    const scheduled: Array<{ run: () => void; delayMs: number }> = [];
    const badge = createBadge({
      status: async () => status,
      action,
      now: () => now,
      online: () => true,
      report: () => expect.unreachable("no failure expected"),
      schedule: (run, delayMs) => (scheduled.push({ run, delayMs }), () => undefined),
    });
    expect((await badge.update())?.state).toBe("throttled");
    expect(calls).toEqual([`text:${BADGE_LOOKS.throttled.text}`, `color:${BADGE_LOOKS.throttled.color}`, expect.stringMatching(/^title:.*0:10/)]);
    expect(scheduled.map((s) => s.delayMs)).toEqual([10_050]);

    calls.length = 0;
    now = NOW + 1_000;
    await badge.update();
    expect(calls).toEqual([expect.stringMatching(/^title:.*0:09/)]); // same state: only the title

    calls.length = 0;
    now = NOW + 10_050;
    status = view();
    scheduled.at(-1)!.run();
    await vi.waitFor(() => expect(calls).toContain("text:"));
  });

  it("reports a failed update as an event instead of dropping it, and retries the whole badge next time", async () => {
    const { action, calls } = fakeAction();
    const reports: Array<[string, string]> = [];
    let fail = true;
    const badge = createBadge({
      status: async () => {
        if (fail) throw new Error("worker storage gone");
        return view({ accounts: [] });
      },
      action,
      now: () => NOW,
      online: () => true,
      report: (message, code) => reports.push([message, code]),
    });
    expect(await badge.update()).toBeUndefined();
    expect(reports).toEqual([[expect.stringContaining("worker storage gone"), expect.any(String)]]);
    fail = false;
    expect((await badge.update())?.state).toBe("signed_out");
    expect(calls[0]).toBe(`text:${BADGE_LOOKS.signed_out.text}`);
  });

  it("shows offline from the worker's navigator.onLine", async () => {
    const { action } = fakeAction();
    const badge = createBadge({ status: async () => view(), action, now: () => NOW, online: () => false, report: () => undefined });
    expect((await badge.update())?.text).toBe(BADGE_LOOKS.offline.text);
  });

  it("coalesces a burst of events into one run", async () => {
    const { action } = fakeAction();
    let reads = 0;
    const badge = createBadge({ status: async () => (reads++, view()), action, now: () => NOW, online: () => true, report: () => undefined });
    await Promise.all([badge.update(), badge.update(), badge.update(), badge.update()]);
    expect(reads).toBe(1); // none had started: one run answers all four
    await badge.update();
    expect(reads).toBe(2);
  });

  it("shows the question mark while a scope question is open, whatever the state, and the state again after", async () => {
    const { action, calls } = fakeAction();
    let asking = true;
    const badge = createBadge({ status: async () => view(), action, now: () => NOW, online: () => true, report: () => expect.unreachable("no failure expected"), asking: () => asking });
    await badge.update();
    expect(calls).toEqual([`text:${ASKING_LOOK.text}`, `color:${ASKING_LOOK.color}`, "title:A site asks for a permission: open the broker's popup to answer."]);
    calls.length = 0;
    asking = false;
    await badge.update();
    expect(calls).toEqual([`text:${BADGE_LOOKS.ok.text}`, `color:${BADGE_LOOKS.ok.color}`, expect.stringMatching(/^title:/)]);
  });
});
