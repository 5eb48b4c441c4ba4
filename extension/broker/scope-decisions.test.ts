import { describe, expect, it } from "vitest";
import { FakeClock } from "../../e2e/support/unit/fake-clock.js";
import { OPEN_QUESTIONS_PER_SITE, SCOPE_DECISION_TIMEOUT_MS, ScopeDecisions } from "./scope-decisions.js";

const A = "https://a.example";
const question = (scopes = ["Mail.Read"], origin = A) => ({ origin, clientId: "client", scopes });

describe("ScopeDecisions", () => {
  it("holds an ask until the person answers; the answer reaches the ask and the question closes", async () => {
    const decisions = new ScopeDecisions(new FakeClock());
    const changes: number[] = [];
    decisions.onChange(() => changes.push(decisions.pending().length));
    const asked = decisions.ask(question());
    const [open] = decisions.pending();
    expect(open).toMatchObject({ origin: A, clientId: "client", scopes: ["Mail.Read"] });
    expect(open!.expiresAt - open!.askedAt).toBe(SCOPE_DECISION_TIMEOUT_MS);
    expect(decisions.answer(open!.id, "once")).toBe(true);
    expect(await asked).toBe("once");
    expect(decisions.pending()).toEqual([]);
    expect(changes).toEqual([1, 0]);
    expect(decisions.answer(open!.id, "deny")).toBe(false);
  });

  it("an unanswered ask fails when its time is up, not before", async () => {
    const clock = new FakeClock();
    const decisions = new ScopeDecisions(clock);
    let outcome: string | undefined;
    void decisions.ask(question(), 5_000).then((o) => (outcome = o));
    await clock.advance(4_999);
    expect(outcome).toBeUndefined();
    await clock.advance(1);
    expect(outcome).toBe("unanswered");
    expect(decisions.pending()).toEqual([]);
  });

  it("an answer in time cancels the timer: the outcome stays the person's", async () => {
    const clock = new FakeClock();
    const decisions = new ScopeDecisions(clock);
    const asked = decisions.ask(question());
    decisions.answer(decisions.pending()[0]!.id, "always");
    await clock.advance(SCOPE_DECISION_TIMEOUT_MS);
    expect(await asked).toBe("always");
    expect(clock.pendingSleeps).toBe(0);
  });

  it("the same question asked again while open shares the one decision (case and order do not matter)", async () => {
    const decisions = new ScopeDecisions(new FakeClock());
    const first = decisions.ask(question(["Mail.Read", "Files.Read"]));
    const again = decisions.ask(question(["files.read", "MAIL.READ", "openid"]));
    expect(decisions.pending()).toHaveLength(1);
    decisions.answer(decisions.pending()[0]!.id, "deny");
    expect(await Promise.all([first, again])).toEqual(["deny", "deny"]);
  });

  it("a site gets a few open questions at most; more are 'busy' at once, other sites are not affected", async () => {
    const decisions = new ScopeDecisions(new FakeClock());
    for (let i = 0; i < OPEN_QUESTIONS_PER_SITE; i++) void decisions.ask(question([`S${i}`]));
    expect(await decisions.ask(question(["Extra"]))).toBe("busy");
    void decisions.ask(question(["Extra"], "https://b.example"));
    expect(decisions.pending().map((p) => p.origin)).toEqual([A, A, A, "https://b.example"]);
  });
});
