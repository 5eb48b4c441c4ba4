import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { AccountView, StatusView } from "../../protocol/views.js";
import { stubChromeI18n } from "../../i18n/locale-stub.test-support.js";
import { AccountList, endedSignIns } from "./account-list.js";
import { CachePanel } from "./status-panels.js";

const NOW = 1_800_000_000_000;
const adele: AccountView = { homeAccountId: "oid-a.tid", username: "adele@contoso.test", name: "Adele Vance", tenantId: "tid", environment: "e", active: true };
const alex: AccountView = { homeAccountId: "oid-b.tid", username: "alex@contoso.test", tenantId: "tid", environment: "e", active: false };
const token = (homeAccountId: string) => ({ homeAccountId, clientId: "c", scopes: [`user.read.${homeAccountId}`], expiresOn: NOW + 3_600_000, refreshOn: NOW + 1_800_000, hasRefreshToken: false, claimsBound: false });

/** Adele's sessions were revoked: the silent step remembered "no session" for her (past its wait). */
const revoked: StatusView = {
  now: NOW,
  accounts: [adele, alex],
  cache: [token(adele.homeAccountId), token(alex.homeAccountId)],
  gates: [],
  breakers: [],
  silent: [{ kind: "no_session", code: "login_required", until: NOW - 1, remainingMs: 0, homeAccountId: adele.homeAccountId }],
};

/** Each account's <li> as HTML, by homeAccountId. */
function items(status: StatusView): Record<string, string> {
  const html = renderToStaticMarkup(createElement(AccountList, { accounts: status.accounts, needsSignIn: endedSignIns(status), onChange: () => undefined }));
  return Object.fromEntries([...html.matchAll(/<li [^>]*data-home-account-id="([^"]+)"[^>]*>.*?<\/li>/g)].map((m) => [m[1], m[0]]));
}

afterEach(() => vi.unstubAllGlobals());

describe("an account whose sign-in ended", () => {
  it("says 'Sign-in needed' instead of 'Active', marks the row and offers Sign in again — the others stay as they are", () => {
    stubChromeI18n("en");
    const rows = items(revoked);
    const ended = rows[adele.homeAccountId]!;
    expect(ended).toContain('data-needs-sign-in="true"');
    expect(ended).toContain("Sign-in needed");
    expect(ended).not.toContain(">Active<");
    expect(ended).not.toContain("Sites that name no account get this account");
    expect(ended).toMatch(/<button data-testid="account-sign-in-again" aria-label="Sign in again as Adele Vance \(adele@contoso.test\)"[^>]*>Sign in again<\/button>/);
    expect(ended).toContain('data-testid="sign-out"');
    const other = rows[alex.homeAccountId]!;
    expect(other).toContain('data-needs-sign-in="false"');
    expect(other).not.toContain("account-sign-in-again");
  });

  it("is not marked while the IdP has not said so (a signed-in account reads Active)", () => {
    stubChromeI18n("en");
    const rows = items({ ...revoked, silent: [] });
    expect(rows[adele.homeAccountId]).toContain(">Active<");
    expect(rows[adele.homeAccountId]).toContain('data-needs-sign-in="false"');
    expect(Object.values(rows).join("")).not.toContain("account-sign-in-again");
  });

  it("speaks German", () => {
    stubChromeI18n("de");
    const ended = items(revoked)[adele.homeAccountId]!;
    expect(ended).toContain("Anmeldung nötig");
    expect(ended).toContain(">Erneut anmelden</button>");
  });

  it("has its cached tokens shown as ended, not 'Valid until'; the other account's tokens keep their time", () => {
    stubChromeI18n("en");
    const html = renderToStaticMarkup(createElement(CachePanel, { status: revoked }));
    const rows = [...html.matchAll(/<li [^>]*data-sign-in-ended="(true|false)"[^>]*>.*?<\/li>/g)].map((m) => [m[1], m[0]] as const);
    expect(rows.map(([ended]) => ended)).toEqual(["true", "false"]);
    expect(rows[0]![1]).toContain("Sign-in ended: not renewed, and services may refuse it. Sign in again.");
    expect(rows[0]![1]).not.toContain("Valid until");
    expect(rows[1]![1]).toContain("Valid until");
  });
});
