import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { FakeClock } from "../../support/unit/fake-clock.js";
import type { TestEmulator } from "./control-client.js";
import { FIREFOX_REDIRECT_URI } from "../../../shared/config/extension-ids.js";
import { ORIGIN, REDIRECT_URI, claimsOf, expectEntraErrorShape, postToken, redeemCode, refresh, signIn, signInAndRedeem, startForTest, tokenUrl } from "./test-helpers.js";

let emu: TestEmulator;
const clock = new FakeClock(Date.UTC(2026, 5, 1, 12, 0, 0));

beforeAll(async () => {
  emu = await startForTest({ clock });
});
afterAll(() => emu.close());
beforeEach(() => emu.control.reset());

describe("authorization code redemption", () => {
  it("returns Entra's token response with client_info, scope echo and ID-token claims", async () => {
    const result = await signIn(emu);
    const res = await redeemCode(emu, result);
    expect(res.status).toBe(200);
    const body = res.body;
    expect(body.token_type).toBe("Bearer");
    expect(body.scope).toBe("User.Read openid profile offline_access");
    // Randomised in Entra's 60–90 min (entra-fidelity.test.ts pins the range with an injected random).
    expect(body.expires_in).toBeGreaterThanOrEqual(3600);
    expect(body.expires_in).toBeLessThanOrEqual(5400);
    expect(body.ext_expires_in).toBe(body.expires_in);
    expect(body.refresh_in).toBeUndefined();
    expect(typeof body.refresh_token).toBe("string");
    expect(JSON.parse(Buffer.from(String(body.client_info), "base64url").toString())).toEqual({ uid: "6e1c2a4b-3f1d-4c55-9b0e-1d3a0f4ad3e1", utid: emu.tenant });
    const id = claimsOf(body.id_token);
    expect(id).toMatchObject({ iss: `${emu.url}/${emu.tenant}/v2.0`, aud: emu.clientId, tid: emu.tenant, oid: "6e1c2a4b-3f1d-4c55-9b0e-1d3a0f4ad3e1", preferred_username: "adele@contoso.test", name: "Adele Vance", nonce: "nonce-456", roles: ["Reader", "Admin"], ver: "2.0" });
    expect(typeof id.sub).toBe("string");
    expect((id.groups as string[]).length).toBe(3);
    const at = claimsOf(body.access_token);
    expect(at).toMatchObject({ aud: "00000003-0000-0000-c000-000000000000", scp: "User.Read", azp: emu.clientId });
    expect(at.xms_cc).toBeUndefined();
    expect(res.headers.get("access-control-allow-origin")).toBe(ORIGIN);
  });

  it("emits the groups overage form for a user with too many groups", async () => {
    const { tokens } = await signInAndRedeem(emu, { username: "alex@contoso.test" });
    const id = claimsOf(tokens.id_token);
    expect(id.groups).toBeUndefined();
    expect(id.roles).toBeUndefined();
    expect(id.hasgroups).toBe(true);
    expect(id._claim_names).toEqual({ groups: "src1" });
    expect((id._claim_sources as Record<string, { endpoint: string }>).src1!.endpoint).toContain("/getMemberObjects");
  });

  it("issues an API token with the demo audience and full-form scope", async () => {
    const result = await signIn(emu, { params: { scope: "api://demo/Data.Read openid offline_access" } });
    const res = await redeemCode(emu, result, { scope: "api://demo/Data.Read openid offline_access" });
    expect(res.body.scope).toBe("api://demo/Data.Read openid offline_access");
    expect(claimsOf(res.body.access_token)).toMatchObject({ aud: "api://demo", scp: "Data.Read", roles: ["Reader", "Admin"] });
  });

  it("rejects a wrong, missing or plain PKCE verifier", async () => {
    const wrong = await redeemCode(emu, await signIn(emu), { code_verifier: "x".repeat(43) });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error).toBe("invalid_grant");
    expect(wrong.body.error_codes).toEqual([50148]);
    const missing = await redeemCode(emu, await signIn(emu), { code_verifier: undefined });
    expect(missing.body.error).toBe("invalid_request");
    expect(missing.body.error_codes).toEqual([9002325]);
    const result = await signIn(emu);
    const plain = await redeemCode(emu, result, { code_verifier: result.pkce.challenge });
    expect(plain.body.error_codes).toEqual([50148]);
  });

  it("accepts a code only once", async () => {
    const result = await signIn(emu);
    expect((await redeemCode(emu, result)).status).toBe(200);
    const again = await redeemCode(emu, result);
    expect(again.status).toBe(400);
    expect(again.body).toMatchObject({ error: "invalid_grant", error_codes: [54005] });
  });

  it("expires codes after 10 minutes", async () => {
    const result = await signIn(emu);
    clock.advance(10 * 60_000 + 1);
    const res = await redeemCode(emu, result);
    expect(res.body).toMatchObject({ error: "invalid_grant", error_codes: [70008] });
  });

  it("binds the code to its redirect URI and client", async () => {
    const mismatch = await redeemCode(emu, await signIn(emu), { redirect_uri: "http://localhost:3001/" });
    expect(mismatch.body).toMatchObject({ error: "invalid_grant", error_codes: [500112] });
    const other = "0b3e8d8f-1a2b-4c3d-8e9f-0a1b2c3d4e5f";
    await emu.control.registerClient({ clientId: other, redirectUris: [REDIRECT_URI], type: "spa" });
    const wrongClient = await redeemCode(emu, await signIn(emu), { client_id: other });
    expect(wrongClient.body).toMatchObject({ error: "invalid_grant", error_codes: [70000] });
  });

  it("requires an Origin header for SPA redemption and refuses it for non-SPA clients", async () => {
    const noOrigin = await redeemCode(emu, await signIn(emu), {}, {});
    expect(noOrigin.body).toMatchObject({ error: "invalid_request", error_codes: [9002327] });
    const nativeId = "7c1f4b0e-2d3a-4e5f-9a8b-1c2d3e4f5a6b";
    await emu.control.registerClient({ clientId: nativeId, redirectUris: ["http://localhost"], type: "public" });
    const native = await signIn(emu, { params: { client_id: nativeId, response_mode: "query" } });
    const withOrigin = await redeemCode(emu, native, { client_id: nativeId });
    expect(withOrigin.body.error_codes).toEqual([9002326]);
    const fresh = await signIn(emu, { params: { client_id: nativeId, response_mode: "query" } });
    expect((await redeemCode(emu, fresh, { client_id: nativeId }, {})).status).toBe(200);
  });

  it("redeems the Firefox extension's code with its moz-extension:// Origin, as Entra does for SPA registrations", async () => {
    const origin = "moz-extension://0b7f3c1e-9d2a-4f6b-8e5c-7a1d2b3c4e5f";
    const firefox = await signIn(emu, { params: { redirect_uri: FIREFOX_REDIRECT_URI } });
    const redeemed = await redeemCode(emu, firefox, { redirect_uri: FIREFOX_REDIRECT_URI }, { Origin: origin });
    expect(redeemed.status).toBe(200);
    expect(typeof redeemed.body.refresh_token).toBe("string");
    expect(redeemed.headers.get("access-control-allow-origin")).toBe(origin);
    const refreshed = await refresh(emu, String(redeemed.body.refresh_token), {}, { Origin: origin });
    expect(refreshed.status).toBe(200);
  });
});

describe("refresh tokens", () => {
  it("rotates on every use; in strict mode reusing an old token revokes the whole family", async () => {
    await emu.control.setSettings({ refreshTokenReuse: "revoke_family" });
    const { tokens } = await signInAndRedeem(emu);
    const first = await refresh(emu, tokens.refresh_token);
    expect(first.status).toBe(200);
    const rotated = String(first.body.refresh_token);
    expect(rotated).not.toBe(tokens.refresh_token);
    const reuse = await refresh(emu, tokens.refresh_token);
    expect(reuse.status).toBe(400);
    expect(reuse.body).toMatchObject({ error: "invalid_grant", suberror: "bad_token" });
    expectEntraErrorShape(reuse.body);
    const afterRevocation = await refresh(emu, rotated);
    expect(afterRevocation.body.error).toBe("invalid_grant");
    const grants = await emu.control.requests({ endpoint: "token", grantType: "refresh_token" });
    expect(grants.map((g) => g.status)).toEqual([200, 400, 400]);
  });

  it("needs an Origin header for SPA refresh tokens", async () => {
    const { tokens } = await signInAndRedeem(emu);
    const res = await refresh(emu, tokens.refresh_token, {}, {});
    expect(res.body.error_codes).toEqual([9002327]);
  });

  it("gives SPA refresh tokens a fixed 24 h lifetime", async () => {
    const { tokens } = await signInAndRedeem(emu);
    clock.advance(23 * 3600_000);
    const renewed = await refresh(emu, tokens.refresh_token);
    expect(renewed.status).toBe(200);
    clock.advance(3600_000);
    const expired = await refresh(emu, String(renewed.body.refresh_token));
    expect(expired.body).toMatchObject({ error: "invalid_grant", error_codes: [700084] });
  });

  it("honours lifetimes and expire from the control API", async () => {
    await emu.control.setLifetimes({ accessTokenSeconds: 7200 });
    const { tokens } = await signInAndRedeem(emu);
    expect(tokens.expires_in).toBe(7200);
    expect(tokens.refresh_in).toBe(3600);
    await emu.control.setLifetimes({ accessTokenSeconds: 60, refreshInSeconds: 20 });
    const short = await refresh(emu, tokens.refresh_token);
    expect(short.body).toMatchObject({ expires_in: 60, refresh_in: 20 });
    await emu.control.expire("refresh_tokens", "adele@contoso.test");
    const expired = await refresh(emu, String(short.body.refresh_token));
    expect(expired.body.error_codes).toEqual([700084]);
  });

  it("can mint a token for another resource (multi-resource refresh token)", async () => {
    const { tokens } = await signInAndRedeem(emu);
    const res = await refresh(emu, tokens.refresh_token, { scope: "api://demo/Data.Read openid" });
    expect(claimsOf(res.body.access_token).aud).toBe("api://demo");
    expect(res.body.scope).toBe("api://demo/Data.Read openid");
  });
});

describe("token endpoint hygiene", () => {
  it("answers CORS preflight", async () => {
    const res = await fetch(tokenUrl(emu), { method: "OPTIONS", headers: { Origin: ORIGIN, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type" } });
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBe(ORIGIN);
    expect(res.headers.get("access-control-allow-methods")).toContain("POST");
    expect(res.headers.get("access-control-expose-headers")).toContain("Retry-After");
  });

  it("returns Entra-shaped errors for bad requests", async () => {
    const cases: Array<[Promise<{ status: number; body: Record<string, unknown> }>, number, string]> = [
      [postToken(emu, { client_id: emu.clientId }), 400, "invalid_request"],
      [postToken(emu, { grant_type: "password", client_id: emu.clientId }), 400, "unsupported_grant_type"],
      [postToken(emu, { grant_type: "refresh_token", client_id: "00000000-0000-0000-0000-000000000000", refresh_token: "x", scope: "openid" }), 400, "unauthorized_client"],
      [postToken(emu, { grant_type: "refresh_token", client_id: emu.clientId, refresh_token: "garbage", scope: "openid" }), 400, "invalid_grant"],
      [postToken(emu, { grant_type: "refresh_token", client_id: emu.clientId, refresh_token: "garbage", scope: "Mail.Send" }), 400, "invalid_scope"],
    ];
    for (const [promise, status, error] of cases) {
      const res = await promise;
      expect(res.status).toBe(status);
      expect(res.body.error).toBe(error);
      expectEntraErrorShape(res.body);
    }
    const get = await fetch(tokenUrl(emu));
    expect(get.status).toBe(405);
    const json = await fetch(tokenUrl(emu), { method: "POST", headers: { "Content-Type": "application/json", Origin: ORIGIN }, body: "{}" });
    expect(json.status).toBe(400);
    expectEntraErrorShape((await json.json()) as Record<string, unknown>);
  });

  it("echoes the client-request-id as correlation_id", async () => {
    const res = await fetch(`${tokenUrl(emu)}?client-request-id=abc-123`, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: ORIGIN }, body: "grant_type=refresh_token" });
    const body = (await res.json()) as Record<string, unknown>;
    expect(body.correlation_id).toBe("abc-123");
    const [entry] = await emu.control.requests({ endpoint: "token" });
    expect(entry).toMatchObject({ correlationId: "abc-123", status: 400, method: "POST", grantType: "refresh_token", origin: ORIGIN });
  });
});
