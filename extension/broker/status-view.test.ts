import { describe, expect, it } from "vitest";
import { SilentAuthorizeBackoff } from "../../shared/resilience/silent-authorize-backoff.js";
import { idpGateKey, resourceGateKey } from "../../shared/resilience/gate-keys.js";
import { FakeClock } from "../../e2e/support/unit/fake-clock.js";
import { statusView } from "./status-view.js";

const account = { homeAccountId: "oid.tid", username: "adele@contoso.test", tenantId: "tid", environment: "login.example", localAccountId: "oid" };

describe("statusView: what the silent step remembers", () => {
  it("names the account a remembered answer is for, keeps it after its wait, and never passes the internal key on", async () => {
    const clock = new FakeClock(1_000_000);
    const silent = new SilentAuthorizeBackoff(clock);
    await silent.record("client-a|oid.tid", "no_session", "login_required");
    await silent.record("client-a|hint:alex@contoso.test", "failed", "idp_unavailable");
    await clock.advance(120_000); // past the 60 s "no session" wait and the 5 s failed wait
    const view = statusView({ accounts: [account], cache: [], gates: [], breakers: [], silent: silent.snapshot() }, undefined, clock.now());
    expect(view.silent).toEqual([
      { kind: "no_session", code: "login_required", until: 1_060_000, remainingMs: 0, homeAccountId: "oid.tid" },
      { kind: "failed", code: "idp_unavailable", until: 1_005_000, remainingMs: 0 },
    ]);
    expect(JSON.stringify(view)).not.toContain("client-a|");
  });

  it("says whose each cached token is, and copies no token value", () => {
    const cached = { homeAccountId: "oid.tid", clientId: "c", scopes: ["user.read"], claimsBound: false, expiresOn: 9, extExpiresOn: 10, refreshOn: 8, hasRefreshToken: false };
    const view = statusView({ accounts: [account], cache: [{ ...cached, secret: "at-secret" } as typeof cached], gates: [], breakers: [] }, undefined, 0);
    expect(view.cache).toEqual([{ homeAccountId: "oid.tid", clientId: "c", scopes: ["user.read"], claimsBound: false, expiresOn: 9, refreshOn: 8, hasRefreshToken: false }]);
    expect(JSON.stringify(view)).not.toContain("at-secret");
  });

  it("forgets what a sign-in or sign-out cleared", async () => {
    const clock = new FakeClock(0);
    const silent = new SilentAuthorizeBackoff(clock);
    await silent.record("c|oid.tid", "no_session", "login_required");
    await silent.clearAll();
    expect(statusView({ accounts: [], cache: [], gates: [], breakers: [], silent: silent.snapshot() }, undefined, 0).silent).toEqual([]);
  });

  it("names what each gate and breaker holds back, never its internal key", () => {
    const view = statusView(
      {
        accounts: [],
        cache: [],
        gates: [{ key: idpGateKey("login.test", "t1"), closedUntil: 30, remainingMs: 20 }],
        breakers: [{ key: resourceGateKey("graph.test"), phase: "open", consecutiveFailures: 3, openUntil: 40 }],
      },
      undefined,
      10,
    );
    expect(view.gates).toEqual([{ subject: { kind: "idp", host: "login.test", tenant: "t1", endpoint: "token" }, closedUntil: 30, remainingMs: 20 }]);
    expect(view.breakers).toEqual([{ subject: { kind: "resource", host: "graph.test" }, phase: "open", consecutiveFailures: 3, openUntil: 40 }]);
    expect(JSON.stringify(view)).not.toMatch(/idp:|resource:/);
  });
});
