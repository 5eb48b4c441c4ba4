import { describe, expect, it } from "vitest";
import type { TokenBroker, TokenRequest, TokenResult } from "../../shared/chain/broker-types.js";
import { AuthShellError } from "../../shared/errors.js";
import { OriginBudgets } from "../../shared/resilience/origin-budget.js";
import { recordEvents, type EventRecorder } from "../../e2e/support/unit/event-recorder.js";
import { FakeClock } from "../../e2e/support/unit/fake-clock.js";
import type { Grant } from "./grant-rules.js";
import { handleNaaRequest, isSenderGranted, type NaaHandlerDeps } from "./naa-handler.js";

const ID = "hocjdcgpkppfggihhckgjaaacbohlcng";
const ORIGIN = "http://localhost:5173";
const sender = { id: ID, origin: ORIGIN, url: `${ORIGIN}/`, frameId: 0, tab: { id: 1 } };
const account = { homeAccountId: "uid.utid", localAccountId: "uid", tenantId: "utid", username: "adele@contoso.test", environment: "localhost:8443" };
const other = { homeAccountId: "uid2.utid2", localAccountId: "uid2", tenantId: "utid2", username: "alex@fabrikam.test", environment: "localhost:8443" };
const config = { authority: "https://localhost:8443/t", clientId: "client", defaultScopes: ["User.Read"], redirectUri: "https://x.chromiumapp.org/", managed: [] };

function fakeBroker(outcome: TokenResult | AuthShellError, active = account): TokenBroker & { requests: TokenRequest[] } {
  const requests: TokenRequest[] = [];
  return {
    requests,
    getActiveAccount: async () => active,
    setActiveAccount: async () => undefined,
    async acquireToken(request) {
      requests.push(request);
      if (outcome instanceof AuthShellError) throw outcome;
      return outcome;
    },
    getAccounts: async () => [account, other],
    signOut: async () => ({ logoutUrl: "" }),
    refreshDue: async () => 0,
    nextRefreshAt: async () => undefined,
    status: async () => ({ accounts: [], cache: [], gates: [], breakers: [] }),
  };
}

function deps(broker: TokenBroker, grants: Grant[] = [{ origin: ORIGIN, clientIds: ["client"], addedAt: 0 }]): NaaHandlerDeps & { events: EventRecorder } {
  return { extensionId: ID, grants: async () => grants, broker: async () => ({ broker, config }), events: recordEvents(), clock: new FakeClock(1_000_000) };
}

const request = (method: string, tokenParams?: Record<string, unknown>) =>
  JSON.stringify({ messageType: "NestedAppAuthRequest", method, requestId: "r1", tokenParams });
const params = { clientId: "client", scope: "User.Read openid profile offline_access", correlationId: "c1" };
const token: TokenResult = {
  accessToken: "AT-SECRET", idToken: "ID-SECRET", tokenType: "Bearer", scopes: ["User.Read"], expiresOn: 1_000_000 + 3_600_000,
  extExpiresOn: 1_000_000 + 3_600_000, refreshOn: 1_000_000 + 1_800_000, account, source: "cache", correlationId: "c1",
};

describe("handleNaaRequest", () => {
  it("puts each served token on the activity record with the tab's and the frame's origin, never a token value", async () => {
    const served: unknown[] = [];
    const framed = { ...sender, frameId: 3, tab: { id: 1, url: "https://portal.contoso.test/home" } };
    await handleNaaRequest(request("GetToken", params), framed, { ...deps(fakeBroker(token)), served: (e) => void served.push(e) });
    await handleNaaRequest(request("GetToken", { ...params, clientId: "another-client" }), framed, { ...deps(fakeBroker(token)), served: (e) => void served.push(e) });
    expect(served).toEqual([
      { at: 1_000_000, caller: "page", origin: "https://portal.contoso.test", frameOrigin: ORIGIN, clientId: "client", scopes: ["User.Read"], homeAccountId: account.homeAccountId, username: account.username, source: "cache", correlationId: "c1" },
    ]); // The refused client ID was served nothing, so nothing is on record.
    expect(JSON.stringify(served)).not.toMatch(/SECRET/);
  });

  it("serves GetToken silently and GetTokenPopup with interaction allowed", async () => {
    const broker = fakeBroker(token);
    const answer = await handleNaaRequest(request("GetToken", params), sender, deps(broker));
    const reply = JSON.parse(answer!.response);
    expect(reply).toMatchObject({ messageType: "NestedAppAuthResponse", requestId: "r1", success: true });
    expect(reply.token.access_token).toBe("AT-SECRET");
    expect(broker.requests[0]).toMatchObject({ allowInteraction: false, clientId: "client", correlationId: "c1" });
    await handleNaaRequest(request("GetTokenPopup", params), sender, deps(broker));
    expect(broker.requests[1]!.allowInteraction).toBe(true);
  });

  it("marks a popup request user-initiated only when the relay saw the page's user activation", async () => {
    const broker = fakeBroker(token);
    await handleNaaRequest(request("GetTokenPopup", params), sender, deps(broker), { userActivated: true });
    await handleNaaRequest(request("GetTokenPopup", params), sender, deps(broker));
    await handleNaaRequest(request("GetToken", params), sender, deps(broker), { userActivated: true });
    expect(broker.requests.map((r) => r.userInitiated === true)).toEqual([true, false, false]);
    // The popup without a click is the app's own: it never reopens a window the user closed.
    expect(broker.requests.map((r) => r.appInitiated === true)).toEqual([false, true, false]);
  });

  it("answers GetInitContext with the active account's context (not simply the first account)", async () => {
    const answer = await handleNaaRequest(request("GetInitContext"), sender, deps(fakeBroker(token)));
    expect(JSON.parse(answer!.response).initContext.accountContext).toEqual({ homeAccountId: "uid.utid", environment: "localhost:8443", tenantId: "utid" });
    const switched = await handleNaaRequest(request("GetInitContext"), sender, deps(fakeBroker(token, other)));
    expect(JSON.parse(switched!.response).initContext.accountContext).toEqual({ homeAccountId: "uid2.utid2", environment: "localhost:8443", tenantId: "utid2" });
  });

  it("passes the account a request names (platformBrokerId, login hint) to the broker", async () => {
    const broker = fakeBroker(token);
    await handleNaaRequest(request("GetToken", { ...params, platformBrokerId: "uid2.utid2" }), sender, deps(broker));
    await handleNaaRequest(request("GetToken", { ...params, loginHint: "alex@fabrikam.test" }), sender, deps(broker));
    await handleNaaRequest(request("GetToken", params), sender, deps(broker));
    expect(broker.requests.map((r) => [r.homeAccountId, r.loginHint])).toEqual([["uid2.utid2", undefined], [undefined, "alex@fabrikam.test"], [undefined, undefined]]);
  });

  it("refuses ungranted senders, other client IDs and scopes beyond the grant, without calling the broker", async () => {
    const broker = fakeBroker(token);
    const status = async (json: string, s = sender, g?: Grant[]) => JSON.parse((await handleNaaRequest(json, s, deps(broker, g)))!.response).error.status;
    expect(await status(request("GetToken", params), { ...sender, origin: "http://evil.test", url: "http://evil.test/" })).toBe("DISABLED");
    expect(await status(request("GetToken", params), sender, [])).toBe("DISABLED");
    expect(await status(request("GetToken", { ...params, clientId: "other" }))).toBe("PERSISTENT_ERROR");
    expect(await status(request("GetToken", { ...params, scope: "Mail.Send" }))).toBe("PERSISTENT_ERROR");
    expect(broker.requests).toEqual([]);
  });

  it("turns throttling into an immediate TRANSIENT_ERROR with the wait, and never logs token values", async () => {
    const d = deps(fakeBroker(new AuthShellError("throttled", "Throttled by the IdP", { retryAfterMs: 30_000 })));
    const reply = JSON.parse((await handleNaaRequest(request("GetToken", params), sender, d))!.response);
    expect(reply.error.status).toBe("TRANSIENT_ERROR");
    expect(reply.error.properties.retryAfterMs).toBe(30_000);
    const served = deps(fakeBroker(token));
    await handleNaaRequest(request("GetToken", params), sender, served);
    expect(JSON.stringify(served.events.list)).not.toContain("SECRET");
  });

  it("answers malformed requests with an id, and ignores ones without", async () => {
    const broker = fakeBroker(token);
    expect(await handleNaaRequest("{", sender, deps(broker))).toBeUndefined();
    expect(await handleNaaRequest(42, sender, deps(broker))).toBeUndefined();
    const bad = await handleNaaRequest(request("GetToken"), sender, deps(broker));
    expect(JSON.parse(bad!.response).error.status).toBe("PERSISTENT_ERROR");
    expect(broker.requests).toEqual([]);
  });
});

describe("handleNaaRequest during an IdP outage", () => {
  it("answers TRANSIENT_ERROR with the wait at once and re-arms the background retry", async () => {
    const broker = fakeBroker(token);
    broker.acquireToken = () =>
      Promise.reject(new AuthShellError("idp_unavailable", "The token endpoint answered 503", { retryable: true, retryAfterMs: 5200 }));
    const rearmed: TokenBroker[] = [];
    const reply = JSON.parse((await handleNaaRequest(request("GetToken", params), sender, { ...deps(broker), onToken: (b) => rearmed.push(b) }))!.response);
    expect(reply.error.status).toBe("TRANSIENT_ERROR");
    expect(reply.error.properties.retryAfterMs).toBe(5200);
    expect(rearmed).toEqual([broker]);
  });

  it("a site over its scope-set budget gets TRANSIENT_ERROR with the wait, the broker is not asked; another site is served", async () => {
    const clock = new FakeClock();
    const budgets = new OriginBudgets(clock, { asksPerSecond: 100, scopeSetsPerMinute: 2, forcedRefreshesPerMinute: 10 });
    const OTHER = "http://localhost:5174";
    const grants: Grant[] = [{ origin: ORIGIN, clientIds: ["client"], scopes: ["*"], addedAt: 0 }, { origin: OTHER, clientIds: ["client"], addedAt: 0 }];
    const broker = fakeBroker(token);
    const d = { ...deps(broker, grants), budgets };
    const ask = async (scope: string, from = sender) => JSON.parse((await handleNaaRequest(request("GetToken", { ...params, scope }), from, d))!.response);
    expect((await ask("api://a/x")).success).toBe(true);
    expect((await ask("api://b/x openid")).success).toBe(true);
    await clock.advance(15_000);
    const refused = await ask("api://c/x");
    expect(refused).toMatchObject({ success: false, error: { status: "TRANSIENT_ERROR", code: "over_budget", properties: { retryable: true, retryAfterMs: 45_000 } } });
    expect(refused.error.description).toContain("retry after 45 s");
    expect(broker.requests).toHaveLength(2);
    // A scope set already seen in the window is still served, and so is another site.
    expect((await ask("API://B/X")).success).toBe(true);
    expect((await ask("User.Read", { ...sender, origin: OTHER, url: `${OTHER}/` })).success).toBe(true);
    expect(budgets.flagged().map((f) => [f.origin, f.budget, f.count])).toEqual([[ORIGIN, "scope_sets_per_minute", 3]]);
  });
});

describe("isSenderGranted (the relay's hello where match patterns carry no port)", () => {
  it("says yes only for the granted origin itself, never for another port of its host, and no without an event when unreadable", async () => {
    const d = deps(fakeBroker(token));
    expect(await isSenderGranted(sender, d)).toBe(true);
    const otherPort = { ...sender, origin: "http://localhost:5174", url: "http://localhost:5174/" };
    expect(await isSenderGranted(otherPort, d)).toBe(false);
    expect(d.events.list).toEqual([]); // Not granted is the normal answer, not an error.
    const broken = { ...d, grants: async () => Promise.reject(new Error("storage gone")) };
    expect(await isSenderGranted(sender, broken)).toBe(false);
    expect(d.events.list.map((e) => e.type)).toEqual(["naa.grants_unreadable"]);
  });
});
