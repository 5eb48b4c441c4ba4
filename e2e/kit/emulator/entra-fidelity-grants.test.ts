/** Grant behaviour that follows Entra (issue 8): consent, lifetimes, sessions, refresh-token reuse. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { FakeClock } from "../../support/unit/fake-clock.js";
import type { TestEmulator } from "./control-client.js";
import { authorizeUrl, claimsOf, createPkce, redeemCode, redirectParams, refresh, signIn, signInAndRedeem, startForTest } from "./test-helpers.js";

let emu: TestEmulator;
const clock = new FakeClock(Date.UTC(2026, 5, 1, 12, 0, 0));
let randomValue = 0;
beforeAll(async () => {
  emu = await startForTest({ clock, random: () => randomValue });
});
afterAll(() => emu.close());
beforeEach(() => emu.control.reset());

const get = (url: string, cookie?: string) => fetch(url, { redirect: "manual", headers: cookie ? { Cookie: cookie } : {} });
const DAY = 24 * 3600_000;

describe("granted scopes (consent) per client and user", () => {
  it("refuses a refresh for an unconsented scope with AADSTS65001 consent_required", async () => {
    const { tokens } = await signInAndRedeem(emu);
    const res = await refresh(emu, tokens.refresh_token, { scope: "User.Read Mail.Read offline_access" });
    expect(res.body).toMatchObject({ error: "invalid_grant", error_codes: [65001], suberror: "consent_required" });
  });

  it("issues fewer scopes than requested when the grant says drop", async () => {
    const { tokens } = await signInAndRedeem(emu);
    await emu.control.setConsent({ username: "adele@contoso.test", scopes: ["User.Read"], unconsented: "drop" });
    const res = await refresh(emu, tokens.refresh_token, { scope: "User.Read Mail.Read openid offline_access" });
    expect(res.status).toBe(200);
    expect(res.body.scope).toBe("User.Read openid offline_access");
    expect(claimsOf(res.body.access_token).scp).toBe("User.Read");
  });

  it("prompt=none with an unconsented scope → consent_required redirect; an interactive sign-in consents", async () => {
    const { cookie } = await signIn(emu);
    const silent = redirectParams((await get(authorizeUrl(emu, { code_challenge: createPkce().challenge, prompt: "none", scope: "Mail.Read openid offline_access" }), cookie)).headers.get("location"));
    expect([silent.get("error"), silent.get("error_description")?.slice(0, 12)]).toEqual(["consent_required", "AADSTS65001:"]);
    const interactive = await signIn(emu, { params: { scope: "Mail.Read openid offline_access" } });
    const token = await redeemCode(emu, interactive, { scope: "Mail.Read openid offline_access" });
    expect(token.body.scope).toBe("Mail.Read openid offline_access");
    expect(claimsOf(token.body.access_token).scp).toBe("Mail.Read");
  });

  it("`.default` carries every consented scope of the resource; a consent record is per user", async () => {
    await emu.control.setConsent({ username: "alex@contoso.test", scopes: ["User.Read", "Mail.Read"] });
    const alex = await signInAndRedeem(emu, { username: "alex@contoso.test" });
    expect((await refresh(emu, alex.tokens.refresh_token, { scope: "https://graph.microsoft.com/.default offline_access" })).body.scope).toBe("User.Read Mail.Read offline_access");
    const adele = await signInAndRedeem(emu);
    expect((await refresh(emu, adele.tokens.refresh_token, { scope: "https://graph.microsoft.com/.default offline_access" })).body.scope).toBe("User.Read offline_access");
  });
});

describe("lifetimes", () => {
  it("randomises the access-token lifetime in 60–90 min by default and fixes it when set", async () => {
    randomValue = 0;
    const low = await signInAndRedeem(emu);
    randomValue = 0.999999;
    const high = await refresh(emu, low.tokens.refresh_token);
    randomValue = 0.5;
    const mid = await refresh(emu, String(high.body.refresh_token));
    expect([low.tokens.expires_in, high.body.expires_in, mid.body.expires_in]).toEqual([3600, 5400, 4500]);
    const at = claimsOf(mid.body.access_token);
    expect(Number(at.exp) - Number(at.iat)).toBe(4500);
    await emu.control.setLifetimes({ accessTokenSeconds: 1234 });
    expect((await refresh(emu, String(mid.body.refresh_token))).body.expires_in).toBe(1234);
    await emu.control.setLifetimes({ accessTokenSeconds: null });
    expect((await refresh(emu, String(mid.body.refresh_token))).body.expires_in).toBe(4500);
  });

  it("keeps the session 90 days while the SPA RT family ends 24 h after sign-in: AADSTS700084 → prompt=none → new RT", async () => {
    const first = await signInAndRedeem(emu);
    clock.advance(DAY);
    const expired = await refresh(emu, first.tokens.refresh_token);
    expect(expired.body.error_codes).toEqual([700084]);
    const pkce = createPkce();
    const silent = redirectParams((await get(authorizeUrl(emu, { code_challenge: pkce.challenge, prompt: "none" }), first.cookie)).headers.get("location"));
    expect(silent.get("error")).toBeNull();
    const renewed = await redeemCode(emu, { code: silent.get("code")!, cookie: first.cookie, pkce, params: silent });
    expect(renewed.status).toBe(200);
    expect(typeof renewed.body.refresh_token).toBe("string");
    clock.advance(89 * DAY - 1000);
    expect(redirectParams((await get(authorizeUrl(emu, { code_challenge: createPkce().challenge, prompt: "none" }), first.cookie)).headers.get("location")).get("code")).toBeTruthy();
    clock.advance(1000);
    expect(redirectParams((await get(authorizeUrl(emu, { code_challenge: createPkce().challenge, prompt: "none" }), first.cookie)).headers.get("location")).get("error")).toBe("login_required");
  });

  it("takes session and RT family lifetimes from the control API", async () => {
    const all = await emu.control.setLifetimes({ sessionSeconds: 3600, refreshTokenSeconds: 600 });
    expect([all.sessionSeconds, all.refreshTokenSeconds]).toEqual([3600, 600]);
    const { tokens, cookie } = await signInAndRedeem(emu);
    clock.advance(600_000);
    expect((await refresh(emu, tokens.refresh_token)).body.error_codes).toEqual([700084]);
    clock.advance(3000_000);
    expect(redirectParams((await get(authorizeUrl(emu, { code_challenge: createPkce().challenge, prompt: "none" }), cookie)).headers.get("location")).get("error")).toBe("login_required");
  });
});

describe("refresh-token reuse", () => {
  it("by default (as Entra) an earlier refresh token stays redeemable and the family lives on", async () => {
    const { tokens } = await signInAndRedeem(emu);
    const rotated = await refresh(emu, tokens.refresh_token);
    const reused = await refresh(emu, tokens.refresh_token);
    expect([rotated.status, reused.status]).toEqual([200, 200]);
    expect((await refresh(emu, String(rotated.body.refresh_token))).status).toBe(200);
  });

  it("strict mode (start option) revokes the family when a used refresh token comes back", async () => {
    const strict = await startForTest({ clock, refreshTokenReuse: "revoke_family" });
    try {
      const { tokens } = await signInAndRedeem(strict);
      const rotated = await refresh(strict, tokens.refresh_token);
      expect(rotated.status).toBe(200);
      expect((await refresh(strict, tokens.refresh_token)).body).toMatchObject({ error: "invalid_grant", suberror: "bad_token" });
      expect((await refresh(strict, String(rotated.body.refresh_token))).body.error_codes).toEqual([50173]);
      await strict.control.reset();
      expect((await strict.control.settings()).refreshTokenReuse).toBe("revoke_family");
    } finally {
      await strict.close();
    }
  });
});
