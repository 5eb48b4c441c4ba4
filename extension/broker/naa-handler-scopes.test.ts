import { describe, expect, it } from "vitest";
import type { TokenBroker, TokenRequest, TokenResult } from "../../shared/chain/broker-types.js";
import type { BrokerEvent } from "../../shared/ports.js";
import { FakeClock } from "../../e2e/support/unit/fake-clock.js";
import type { Grant } from "./grant-rules.js";
import { handleNaaRequest, type NaaHandlerDeps } from "./naa-handler.js";
import { ScopeDecisions, type ScopeAnswer, type ScopeQuestion } from "./scope-decisions.js";

const ID = "hocjdcgpkppfggihhckgjaaacbohlcng";
const ORIGIN = "http://localhost:5173";
const sender = { id: ID, origin: ORIGIN, url: `${ORIGIN}/`, frameId: 0, tab: { id: 1 } };
const account = { homeAccountId: "uid.utid", localAccountId: "uid", tenantId: "utid", username: "adele@contoso.test", environment: "localhost:8443" };
const config = { authority: "https://localhost:8443/t", defaultScopes: ["User.Read"], clientId: "client" };
const token: TokenResult = {
  accessToken: "AT", idToken: "ID", tokenType: "Bearer", scopes: ["Mail.Read"], expiresOn: 2_000_000, extExpiresOn: 2_000_000, refreshOn: 1_500_000, account, source: "cache", correlationId: "c1",
};
const ask = JSON.stringify({ messageType: "NestedAppAuthRequest", method: "GetToken", requestId: "r1", tokenParams: { clientId: "client", scope: "User.Read Mail.Read openid", correlationId: "c1" } });

function setUp(grantsAtStart: Grant[] = [{ origin: ORIGIN, clientIds: ["client"], addedAt: 0 }]) {
  const clock = new FakeClock();
  const decisions = new ScopeDecisions(clock);
  const requests: TokenRequest[] = [];
  const extended: ScopeQuestion[] = [];
  const events: BrokerEvent[] = [];
  const state = { grants: grantsAtStart };
  const broker = { acquireToken: async (r: TokenRequest) => (requests.push(r), token), getActiveAccount: async () => account } as unknown as TokenBroker;
  const deps: NaaHandlerDeps = {
    extensionId: ID,
    grants: async () => state.grants,
    broker: async () => ({ broker, config }),
    events: { emit: (e) => void events.push(e) },
    clock,
    scopeDecisions: { decisions, timeoutMs: async () => 30_000, extendGrant: async (q) => void extended.push(q) },
  };
  const send = () => handleNaaRequest(ask, sender, deps).then((a) => JSON.parse(a!.response));
  /** Sends the ask, waits until its question is open, answers it (unless undefined) and returns the reply. */
  const answered = async (answer: ScopeAnswer | undefined) => {
    const reply = send();
    await expect.poll(() => decisions.pending().length).toBe(1);
    expect(decisions.pending()[0]).toMatchObject({ origin: ORIGIN, clientId: "client", scopes: ["Mail.Read"] });
    if (answer) decisions.answer(decisions.pending()[0]!.id, answer);
    return reply;
  };
  return { clock, decisions, requests, extended, events, state, deps, send, answered };
}

describe("handleNaaRequest: scopes outside the grant are the person's decision", () => {
  it("'Allow once' serves this ask only and changes no grant", async () => {
    const t = setUp();
    expect((await t.answered("once")).success).toBe(true);
    expect(t.requests).toHaveLength(1);
    expect(t.extended).toEqual([]);
    expect(t.events.map((e) => e.type)).toContain("naa.scope_decision");
  });

  it("'Always allow' extends the grant, then serves the ask", async () => {
    const t = setUp();
    expect((await t.answered("always")).success).toBe(true);
    expect(t.extended).toEqual([{ origin: ORIGIN, clientId: "client", scopes: ["Mail.Read"] }]);
  });

  it("'Deny' answers the page with scope_declined (msal: user_cancelled) and a sentence; nothing is asked of the broker", async () => {
    const t = setUp();
    const reply = await t.answered("deny");
    expect(reply).toMatchObject({ success: false, error: { status: "USER_CANCEL", code: "scope_declined" } });
    expect(reply.error.description).toContain("declined");
    expect(t.requests).toEqual([]);
  });

  it("an unanswered ask fails when its time is up, with a sentence naming the wait", async () => {
    const t = setUp();
    const reply = t.answered(undefined);
    await expect.poll(() => t.clock.pendingSleeps).toBe(1);
    await t.clock.advance(30_000);
    const answer = await reply;
    expect(answer).toMatchObject({ success: false, error: { code: "scope_declined" } });
    expect(answer.error.description).toContain("Nobody answered within 30 s");
    expect(t.requests).toEqual([]);
  });

  it("a site removed while its question was open gets nothing, whatever the answer", async () => {
    const t = setUp();
    const reply = t.answered(undefined);
    await expect.poll(() => t.decisions.pending().length).toBe(1);
    t.state.grants = [];
    t.decisions.answer(t.decisions.pending()[0]!.id, "once");
    expect(await reply).toMatchObject({ success: false, error: { status: "DISABLED", code: "not_granted" } });
    expect(t.requests).toEqual([]);
  });

  it("without scope decisions (a library user who did not opt in) the ask is refused at once, as before", async () => {
    const t = setUp();
    const { scopeDecisions: _, ...plain } = t.deps;
    const reply = JSON.parse((await handleNaaRequest(ask, sender, plain))!.response);
    expect(reply).toMatchObject({ success: false, error: { code: "scope_not_allowed" } });
    expect(t.decisions.pending()).toEqual([]);
  });
});
