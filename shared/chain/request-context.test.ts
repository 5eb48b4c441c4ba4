import { describe, expect, it } from "vitest";
import { randomUuid } from "../oidc/pkce.js";
import { challengeClaimsOf } from "./request-context.js";
import { grantedScopes } from "./store-token-response.js";
import { TENANT, USER, createHarness, signIn } from "./broker-harness.test-support.js";
import { FakeRandom } from "../../e2e/support/unit/fake-random.js";

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

const USER_ADELE = { ...USER, tenant: TENANT };
const ALEX = { oid: "oid-2", username: "alex@fabrikam.test", name: "Alex Wilber", tenant: "tid-2" };
const ALEX_ID = `${ALEX.oid}.${ALEX.tenant}`;

/** Adele signed in first, then Alex added through "add another account" (each with a home tenant). */
async function twoAccounts() {
  const h = createHarness();
  h.idp.hasSession = false;
  const adele = await signIn(h);
  h.idp.user = ALEX;
  const alex = await h.broker.acquireToken({ scopes: ["User.Read"], allowInteraction: true, selectAccount: true });
  return { h, adele, alex };
}

describe("several accounts: which one a request means", () => {
  it("the first sign-in is active; adding another opens prompt=select_account with no hint and keeps the active one", async () => {
    const { h, adele, alex } = await twoAccounts();
    const add = h.idp.authorizeCalls.at(-1)!;
    expect(add.interactive).toBe(true);
    expect(add.url.searchParams.get("prompt")).toBe("select_account");
    expect(add.url.searchParams.has("login_hint")).toBe(false);
    expect(alex.account).toMatchObject({ homeAccountId: ALEX_ID, tenantId: "tid-2", username: ALEX.username });
    expect((await h.broker.getAccounts()).map((a) => a.username).sort()).toEqual([adele.account.username, ALEX.username].sort());
    expect((await h.broker.getActiveAccount())?.homeAccountId).toBe(adele.account.homeAccountId);
    expect((await h.broker.status()).activeAccountId).toBe(adele.account.homeAccountId);
    // A request naming nobody gets the active account's token, though Alex signed in last.
    const plain = await h.broker.acquireToken({ scopes: ["User.Read"], allowInteraction: false });
    expect(plain).toMatchObject({ source: "cache", accessToken: adele.accessToken });
  });

  it("a request naming an account gets that account's tokens, by homeAccountId or login hint", async () => {
    const { h, adele, alex } = await twoAccounts();
    const byId = await h.broker.acquireToken({ scopes: ["User.Read"], homeAccountId: ALEX_ID, allowInteraction: false });
    expect(byId).toMatchObject({ source: "cache", accessToken: alex.accessToken });
    const byHint = await h.broker.acquireToken({ scopes: ["User.Read"], loginHint: "ALEX@fabrikam.test", allowInteraction: false });
    expect(byHint).toMatchObject({ source: "cache", accessToken: alex.accessToken });
    // An unknown homeAccountId with a known hint: the hint decides, never the active account.
    const staleId = await h.broker.acquireToken({ scopes: ["User.Read"], homeAccountId: "gone.tid", loginHint: ALEX.username, allowInteraction: false });
    expect(staleId.accessToken).toBe(alex.accessToken);
    // An account that is not signed in is not answered with the active one's token.
    h.idp.hasSession = false;
    await expect(h.broker.acquireToken({ scopes: ["User.Read"], loginHint: "megan@contoso.test", allowInteraction: false })).rejects.toMatchObject({
      code: "interaction_required",
    });
    expect(adele.accessToken).not.toBe(alex.accessToken);
  });

  it("a switch makes the other account active, persisted across a worker restart", async () => {
    const { h, alex } = await twoAccounts();
    await h.broker.setActiveAccount(ALEX_ID);
    expect((await h.broker.acquireToken({ scopes: ["User.Read"], allowInteraction: false })).accessToken).toBe(alex.accessToken);
    const restarted = h.restart();
    expect((await restarted.getActiveAccount())?.homeAccountId).toBe(ALEX_ID);
    expect((await restarted.acquireToken({ scopes: ["User.Read"], allowInteraction: false })).accessToken).toBe(alex.accessToken);
    await expect(h.broker.setActiveAccount("nobody.tid")).rejects.toMatchObject({ code: "no_account" });
    expect(h.events.some((e) => e.type === "account.switched")).toBe(true);
  });

  it("signing out the active account makes the remaining one active; signing out the last leaves none", async () => {
    const { h, adele } = await twoAccounts();
    await h.broker.signOut(); // the active one: Adele
    expect((await h.broker.getAccounts()).map((a) => a.homeAccountId)).toEqual([ALEX_ID]);
    expect((await h.broker.getActiveAccount())?.homeAccountId).toBe(ALEX_ID);
    expect((await h.restart().getActiveAccount())?.homeAccountId).toBe(ALEX_ID);
    await h.broker.signOut(ALEX_ID);
    expect(await h.broker.getActiveAccount()).toBeUndefined();
    expect((await h.broker.status()).activeAccountId).toBeUndefined();
    // The next sign-in is active again.
    h.idp.user = { ...USER_ADELE };
    h.idp.hasSession = false;
    await signIn(h);
    expect((await h.broker.getActiveAccount())?.homeAccountId).toBe(adele.account.homeAccountId);
  });

  it("signing out a non-active account keeps the active one", async () => {
    const { h, adele } = await twoAccounts();
    await h.broker.signOut(ALEX_ID);
    expect((await h.broker.getActiveAccount())?.homeAccountId).toBe(adele.account.homeAccountId);
  });

  it("adding an account never answers from the cache or prompt=none, and needs interaction", async () => {
    const h = createHarness();
    h.idp.hasSession = false;
    await signIn(h);
    const before = h.idp.authorizeCalls.length;
    await expect(h.broker.acquireToken({ scopes: ["User.Read"], allowInteraction: false, selectAccount: true })).rejects.toMatchObject({ code: "invalid_request" });
    const again = await h.broker.acquireToken({ scopes: ["User.Read"], allowInteraction: true, selectAccount: true });
    expect(again.source).toBe("interactive");
    expect(h.idp.authorizeCalls.slice(before).map((c) => [c.interactive, c.url.searchParams.get("prompt")])).toEqual([[true, "select_account"]]);
  });
});
