import { describe, expect, it } from "vitest";
import { accountsNeedingSignIn, summarizeStatus } from "./status-summary.js";
import type { AccountView, StatusView } from "./views.js";

const TOKEN_ENDPOINT = { kind: "idp", host: "h", tenant: "t", endpoint: "token" } as const;

const NOW = 1_800_000_000_000;
const adele: AccountView = { homeAccountId: "oid-a.tid", username: "adele@contoso.test", tenantId: "tid", environment: "login.example", active: true };
const alex: AccountView = { homeAccountId: "oid-b.tid", username: "alex@contoso.test", tenantId: "tid", environment: "login.example", active: false };

function status(patch: Partial<StatusView> = {}): StatusView {
  return { now: NOW, accounts: [], cache: [], gates: [], breakers: [], ...patch };
}

const entry = (expiresOn: number, claimsBound = false) => ({
  homeAccountId: adele.homeAccountId,
  clientId: "c",
  scopes: ["User.Read"],
  expiresOn,
  refreshOn: expiresOn - 60_000,
  hasRefreshToken: true,
  claimsBound,
});

describe("summarizeStatus", () => {
  it("is signed_out, never ok, before any account exists (no IdP contact yet)", () => {
    expect(summarizeStatus(status(), { now: NOW })).toEqual({ state: "signed_out" });
  });

  it("is ok with a signed-in account and reports the next access token to lapse", () => {
    const view = status({ accounts: [adele], cache: [entry(NOW + 3_600_000), entry(NOW + 600_000), entry(NOW - 1), entry(NOW + 60_000, true)] });
    expect(summarizeStatus(view, { now: NOW })).toEqual({ state: "ok", account: adele, expiresOn: NOW + 600_000 });
  });

  it("is ok without an expiry when no live token is cached", () => {
    expect(summarizeStatus(status({ accounts: [adele] }), { now: NOW })).toEqual({ state: "ok", account: adele });
  });

  it("names the active account when several are signed in, not the first listed", () => {
    const switched = [{ ...adele, active: false }, { ...alex, active: true }];
    expect(summarizeStatus(status({ accounts: switched }), { now: NOW })).toMatchObject({ state: "ok", account: { username: alex.username } });
  });

  it("is throttled while a Retry-After gate is closed, retrying when the first gate opens", () => {
    const view = status({
      accounts: [adele],
      gates: [
        { subject: { kind: "idp", host: "h", tenant: "t", endpoint: "token" }, closedUntil: NOW + 42_000, remainingMs: 42_000 },
        { subject: { kind: "resource", host: "graph" }, closedUntil: NOW + 90_000, remainingMs: 90_000 },
      ],
    });
    expect(summarizeStatus(view, { now: NOW })).toMatchObject({ state: "throttled", retryAt: NOW + 42_000 });
  });

  it("ignores a gate whose time has passed (judged by the given now, not the snapshot's remainingMs)", () => {
    const view = status({ accounts: [adele], gates: [{ subject: TOKEN_ENDPOINT, closedUntil: NOW + 1_000, remainingMs: 1_000 }] });
    expect(summarizeStatus(view, { now: NOW + 1_000 }).state).toBe("ok");
  });

  it("is backing_off while a breaker is open or probing, or a failed silent sign-in is held back", () => {
    const open = status({ accounts: [adele], breakers: [{ subject: TOKEN_ENDPOINT, phase: "open", consecutiveFailures: 1, openUntil: NOW + 5_000 }] });
    expect(summarizeStatus(open, { now: NOW })).toEqual({ state: "backing_off", retryAt: NOW + 5_000, code: "idp_unavailable" });
    const probing = status({ accounts: [adele], breakers: [{ subject: TOKEN_ENDPOINT, phase: "half_open", consecutiveFailures: 2 }] });
    expect(summarizeStatus(probing, { now: NOW })).toEqual({ state: "backing_off", code: "idp_unavailable" });
    const silent = status({ silent: [{ kind: "failed", code: "idp_unavailable", until: NOW + 7_000, remainingMs: 7_000 }] });
    expect(summarizeStatus(silent, { now: NOW })).toEqual({ state: "backing_off", retryAt: NOW + 7_000, code: "idp_unavailable" });
  });

  it("is not backing_off for a closed breaker that merely counted a failure, nor a failed silent record past its wait", () => {
    const view = status({
      accounts: [adele],
      breakers: [{ subject: TOKEN_ENDPOINT, phase: "closed", consecutiveFailures: 1 }],
      silent: [{ kind: "failed", code: "timeout", until: NOW, remainingMs: 0 }],
    });
    expect(summarizeStatus(view, { now: NOW }).state).toBe("ok");
  });

  it("is needs_sign_in when the IdP answered 'no session' for a signed-in account, even after the wait", () => {
    const view = status({
      accounts: [adele, alex],
      silent: [{ kind: "no_session", code: "login_required", until: NOW - 1, remainingMs: 0, homeAccountId: alex.homeAccountId }],
    });
    expect(summarizeStatus(view, { now: NOW })).toEqual({ state: "needs_sign_in", account: alex, code: "login_required" });
  });

  it("a 'no session' answer for a mere login hint (nobody signed in) stays signed_out", () => {
    const view = status({ silent: [{ kind: "no_session", code: "login_required", until: NOW + 60_000, remainingMs: 60_000 }] });
    expect(summarizeStatus(view, { now: NOW }).state).toBe("signed_out");
  });

  it("lists every signed-in account whose sign-in ended, for the account and token lists, and only those", () => {
    const view = status({
      accounts: [adele, alex],
      silent: [
        { kind: "no_session", code: "interaction_required", until: NOW + 60_000, remainingMs: 60_000, homeAccountId: alex.homeAccountId },
        { kind: "failed", code: "timeout", until: NOW + 5_000, remainingMs: 5_000, homeAccountId: adele.homeAccountId },
        { kind: "no_session", code: "login_required", until: NOW, remainingMs: 0 },
        { kind: "no_session", code: "login_required", until: NOW, remainingMs: 0, homeAccountId: "signed-out.tid" },
        { kind: "no_session", code: "login_required", until: NOW - 1, remainingMs: 0, homeAccountId: alex.homeAccountId },
      ],
    });
    expect([...accountsNeedingSignIn(view)]).toEqual([[alex.homeAccountId, "interaction_required"]]);
    expect(accountsNeedingSignIn(status({ accounts: [adele] })).size).toBe(0);
  });

  it("orders offline > throttled > backing_off > needs_sign_in", () => {
    const all = status({
      accounts: [adele],
      gates: [{ subject: TOKEN_ENDPOINT, closedUntil: NOW + 1_000, remainingMs: 1_000 }],
      breakers: [{ subject: TOKEN_ENDPOINT, phase: "open", consecutiveFailures: 1, openUntil: NOW + 2_000 }],
      silent: [{ kind: "no_session", code: "login_required", until: NOW, remainingMs: 0, homeAccountId: adele.homeAccountId }],
    });
    expect(summarizeStatus(all, { now: NOW, online: false }).state).toBe("offline");
    expect(summarizeStatus(all, { now: NOW }).state).toBe("throttled");
    expect(summarizeStatus({ ...all, gates: [] }, { now: NOW }).state).toBe("backing_off");
    expect(summarizeStatus({ ...all, gates: [], breakers: [] }, { now: NOW }).state).toBe("needs_sign_in");
  });
});
