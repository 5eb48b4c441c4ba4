import { describe, expect, it } from "vitest";
import type { ScriptedResponse } from "../../e2e/support/unit/fake-http.js";
import { createHarness, rejection } from "./broker-harness.test-support.js";

/** Entra's answer to a second redemption of one code (the first one's answer was lost to a reset). */
const alreadyRedeemed = (): ScriptedResponse => ({
  status: 400,
  body: {
    error: "invalid_grant",
    error_description: "AADSTS54005: OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.",
    error_codes: [54005],
  },
});

describe("authorize exchange: a code redemption whose answer was lost", () => {
  it("authorizes once more for a fresh code instead of asking the user (silent)", async () => {
    const h = createHarness();
    h.idp.faults.push(alreadyRedeemed());
    const r = await h.broker.acquireToken({ scopes: ["User.Read"], allowInteraction: false });
    expect(r.source).toBe("silent_authorize");
    expect(h.idp.authorizeCalls.filter((c) => !c.interactive)).toHaveLength(2);
    expect(h.idp.tokenRequests("authorization_code")).toHaveLength(2);
    expect(h.events.some((e) => e.type === "chain.code_redemption_lost")).toBe(true);
  });

  it("authorizes once more only: a second 'already redeemed' is the caller's answer", async () => {
    const h = createHarness();
    h.idp.faults.push(alreadyRedeemed(), alreadyRedeemed());
    const e = await rejection(h.broker.acquireToken({ scopes: ["User.Read"], allowInteraction: false }));
    expect(e.code).toBe("interaction_required");
    expect(h.idp.authorizeCalls).toHaveLength(2);
  });

  it("after an interactive sign-in, the fresh code comes silently: never a second window", async () => {
    const h = createHarness();
    h.idp.hasSession = false;
    h.idp.faults.push(alreadyRedeemed());
    const r = await h.broker.acquireToken({ scopes: ["User.Read"], allowInteraction: true });
    expect(r.source).toBe("interactive");
    expect(h.idp.authorizeCalls.filter((c) => c.interactive)).toHaveLength(1);
    const silent = h.idp.authorizeCalls.filter((c) => !c.interactive).map((c) => c.url.searchParams.get("prompt"));
    // The chain's own prompt=none before the window, and the one fresh-code round after the lost answer.
    expect(silent).toEqual(["none", "none"]);
  });

  it("other invalid_grant answers are not retried", async () => {
    const h = createHarness();
    h.idp.faults.push({ status: 400, body: { error: "invalid_grant", error_description: "AADSTS70000: bad code", error_codes: [70000] } });
    await rejection(h.broker.acquireToken({ scopes: ["User.Read"], allowInteraction: false }));
    expect(h.idp.authorizeCalls).toHaveLength(1);
  });
});
