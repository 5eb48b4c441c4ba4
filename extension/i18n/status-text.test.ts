import { afterEach, describe, expect, it } from "vitest";
import { vi } from "vitest";
import { textLanguage, formatClock, formatCountdown, formatRelative, formatWait, formatWhen, summarySentence } from "./status-text.js";
import { stubChromeI18n } from "./locale-stub.test-support.js";

// 2026-12-04 13:13 local time (the formatting is local, like the popup's).
const NOW = new Date(2026, 11, 4, 13, 13, 0).getTime();
const account = { homeAccountId: "a.t", username: "adele@contoso.test", tenantId: "t", environment: "e", active: true };

afterEach(() => vi.unstubAllGlobals());

describe("status words", () => {
  it("counts waits down as m:ss, rounding up so a live wait never reads 0:00", () => {
    expect(formatCountdown(42_000)).toBe("0:42");
    expect(formatCountdown(41_001)).toBe("0:42");
    expect(formatCountdown(125_000)).toBe("2:05");
    expect(formatCountdown(3_725_000)).toBe("1:02:05");
    expect(formatCountdown(-5)).toBe("0:00");
  });

  it("says a one-off wait in words, rounded up to the unit that reads exactly enough", () => {
    expect(formatWait(45_000, "en")).toBe("45 seconds");
    expect(formatWait(1, "en")).toBe("1 second");
    expect(formatWait(0, "en")).toBe("1 second");
    expect(formatWait(90_000, "en")).toBe("2 minutes");
    expect(formatWait(45_000, "de")).toBe("45 Sekunden");
    expect(formatWait(3 * 3600_000, "de")).toBe("3 Stunden");
  });

  it("gives a moment as a local time plus a relative phrase, in the UI language", () => {
    stubChromeI18n("en");
    const at = NOW + 52 * 60_000;
    expect(formatClock(at, NOW, "en-GB")).toBe("14:05");
    expect(formatRelative(at, NOW, "en")).toBe("in 52 minutes");
    expect(formatWhen(at, NOW, "en-GB")).toBe("14:05, in 52 minutes");
    expect(formatRelative(at, NOW, "de")).toBe("in 52 Minuten");
    expect(formatRelative(NOW + 28 * 3600_000, NOW, "en")).toBe("in 28 hours");
    expect(formatRelative(NOW - 3 * 86_400_000, NOW, "en")).toBe("3 days ago");
  });

  it("adds the day when the moment is not today", () => {
    expect(formatClock(NOW + 28 * 3600_000, NOW, "en-GB")).toMatch(/Sat.*5 Dec.*17:13/);
  });

  it("says each state in one plain sentence, without codes or keys", () => {
    stubChromeI18n("en");
    expect(summarySentence({ state: "signed_out" }, NOW, "en-GB")).toBe("You are not signed in. Sign in so the sites you allow can get tokens.");
    expect(summarySentence({ state: "ok", account, expiresOn: NOW + 52 * 60_000 }, NOW, "en-GB")).toBe(
      "Signed in as adele@contoso.test. The access token is valid until 14:05, in 52 minutes.",
    );
    expect(summarySentence({ state: "throttled", retryAt: NOW + 42_000, code: "throttled" }, NOW)).toBe(
      "The sign-in service asked us to slow down. Retrying in 0:42.",
    );
    expect(summarySentence({ state: "backing_off", code: "idp_unavailable" }, NOW)).toBe("The sign-in service was not answering. Checking again now.");
    expect(summarySentence({ state: "needs_sign_in", account, code: "login_required" }, NOW)).toBe(
      "The sign-in for adele@contoso.test has ended. Sign in again to continue.",
    );
  });

  it("speaks German when Chrome's UI language is German", () => {
    stubChromeI18n("de");
    expect(textLanguage()).toBe("de");
    expect(summarySentence({ state: "backing_off", retryAt: NOW + 65_000 }, NOW, "de")).toBe("Der Anmeldedienst antwortet nicht. Neuer Versuch in 1:05.");
    expect(summarySentence({ state: "ok", account, expiresOn: NOW + 52 * 60_000 }, NOW, "de")).toBe(
      "Angemeldet als adele@contoso.test. Das Zugriffstoken ist gültig bis 14:05, in 52 Minuten.",
    );
  });
});
