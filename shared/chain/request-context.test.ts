import { describe, expect, it } from "vitest";
import { challengeClaimsOf, randomUuid } from "./request-context.js";
import { grantedScopes } from "./store-token-response.js";
import { createHarness, signIn } from "./broker-harness.test-support.js";
import { FakeRandom } from "../testing/fake-random.js";

describe("request context helpers", () => {
  it("recognises only real claims challenges", () => {
    const nbf = '{"access_token":{"nbf":{"essential":true,"value":"1"}}}';
    expect(challengeClaimsOf(nbf)).toBe(nbf);
    expect(challengeClaimsOf(undefined)).toBeUndefined();
    expect(challengeClaimsOf("not json")).toBeUndefined();
    expect(challengeClaimsOf('{"id_token":{"auth_time":{"essential":true}}}')).toBeUndefined();
    expect(challengeClaimsOf('{"access_token":{"xms_cc":{"values":["cp1"]}}}')).toBeUndefined();
    expect(challengeClaimsOf('{"access_token":{"xms_cc":{"values":["cp1"]},"acrs":{"essential":true,"value":"c1"}}}')).toContain("acrs");
  });

  it("makes RFC 4122 v4 UUIDs", () => {
    expect(randomUuid(new FakeRandom())).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it("stores granted scopes plus requested .default and resource-qualified forms", () => {
    expect(grantedScopes(["https://graph.microsoft.com/User.Read"], ["User.Read", "openid", "profile"])).toEqual([
      "https://graph.microsoft.com/user.read",
      "user.read",
    ]);
    expect(grantedScopes(["api://demo/.default"], ["api://demo/Data.Read"])).toEqual(["api://demo/.default", "api://demo/data.read"]);
    expect(grantedScopes(["Mail.Read", "openid"], [])).toEqual(["mail.read"]);
    expect(grantedScopes(["Mail.Send"], ["Mail.Read"])).toEqual(["mail.read"]);
  });
});

describe("request resolution through the broker", () => {
  it("uses the default scopes when only OIDC scopes are requested, and rejects a non-array", async () => {
    const h = createHarness();
    h.idp.hasSession = false;
    await signIn(h);
    const r = await h.broker.acquireToken({ scopes: ["openid", "profile"], allowInteraction: false });
    expect(r.source).toBe("cache");
    expect(r.scopes).toContain("user.read");
    await expect(h.broker.acquireToken({ scopes: "User.Read" as never, allowInteraction: false })).rejects.toMatchObject({ code: "invalid_request" });
    const noDefaults = createHarness({ config: { defaultScopes: [] } });
    await expect(noDefaults.broker.acquireToken({ scopes: ["openid"], allowInteraction: false })).rejects.toMatchObject({ code: "invalid_request" });
  });

  it("picks the account by homeAccountId or login hint; an unknown one goes to prompt=none with the hint", async () => {
    const h = createHarness();
    h.idp.hasSession = false;
    const first = await signIn(h);
    const byId = await h.broker.acquireToken({ scopes: ["User.Read"], homeAccountId: first.account.homeAccountId, allowInteraction: false });
    expect(byId.source).toBe("cache");
    const byHint = await h.broker.acquireToken({ scopes: ["User.Read"], loginHint: "ADELE@contoso.test", allowInteraction: false });
    expect(byHint.source).toBe("cache");
    h.idp.hasSession = false;
    await expect(h.broker.acquireToken({ scopes: ["User.Read"], loginHint: "alex@contoso.test", allowInteraction: false })).rejects.toMatchObject({
      code: "interaction_required",
    });
    expect(h.idp.authorizeCalls.at(-1)!.url.searchParams.get("login_hint")).toBe("alex@contoso.test");
  });

  it("a rejected code redemption during silent authorize falls through (not allowed → interaction_required)", async () => {
    const h = createHarness();
    // Twice: a single "already redeemed" is a lost answer, retried with one fresh code (authorize-exchange).
    const rejected = { status: 400, body: { error: "invalid_grant", error_description: "AADSTS54005: code already redeemed" } };
    h.idp.faults.push(rejected, rejected);
    await expect(h.broker.acquireToken({ scopes: ["User.Read"], allowInteraction: false })).rejects.toMatchObject({
      code: "interaction_required",
      idpError: "invalid_grant",
      idpErrorCode: 54005,
    });
  });

  it("an interactive prompt that fails at the token endpoint starts the cool-down too", async () => {
    const h = createHarness();
    h.idp.hasSession = false;
    h.idp.faults.push({ status: 400, body: { error: "invalid_client" } });
    await expect(h.broker.acquireToken({ scopes: ["User.Read"], allowInteraction: true })).rejects.toMatchObject({ code: "idp_error" });
    h.idp.hasSession = false;
    await expect(h.broker.acquireToken({ scopes: ["User.Read"], allowInteraction: true })).rejects.toMatchObject({ code: "interaction_cooldown" });
  });

  it("a refresh answer without an ID token keeps the cached one", async () => {
    const h = createHarness();
    h.idp.hasSession = false;
    const first = await signIn(h);
    await h.clock.advance(3600_000);
    h.idp.faults.push({ status: 200, body: { token_type: "Bearer", access_token: "at-x", expires_in: 3600, scope: "User.Read" } });
    const r = await h.broker.acquireToken({ scopes: ["User.Read"], allowInteraction: false });
    expect(r.source).toBe("refresh_token");
    expect(r.accessToken).toBe("at-x");
    expect(r.idToken).toBe(first.idToken);
    // No rotated RT came back: the old one is kept.
    expect((await h.broker.status()).cache[0]?.hasRefreshToken).toBe(true);
  });
});
