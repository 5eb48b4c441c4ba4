import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { TestEmulator } from "./control-client.js";
import { CP1_CLAIMS, callMe, claimsOf, refresh, signInAndRedeem, startForTest } from "./test-helpers.js";

let emu: TestEmulator;
beforeAll(async () => {
  emu = await startForTest();
});
afterAll(() => emu.close());
beforeEach(() => emu.control.reset());

describe("continuous access evaluation", () => {
  it("issues long-lived tokens carrying xms_cc to cp1 clients", async () => {
    const { tokens } = await signInAndRedeem(emu, { claims: CP1_CLAIMS });
    expect(tokens.expires_in).toBe(28 * 3600);
    expect(tokens.refresh_in).toBe(14 * 3600);
    expect(claimsOf(tokens.access_token).xms_cc).toEqual(["cp1"]);
    const refreshed = await refresh(emu, tokens.refresh_token, { claims: CP1_CLAIMS });
    expect(claimsOf(refreshed.body.access_token).xms_cc).toEqual(["cp1"]);
  });

  it("after revoke: cp1 tokens get insufficient_claims, refresh tokens invalid_grant, plain tokens keep working", async () => {
    const cae = await signInAndRedeem(emu, { claims: CP1_CLAIMS });
    const plain = await signInAndRedeem(emu);
    expect((await callMe(emu, cae.tokens.access_token)).status).toBe(200);
    const { revokedAt } = await emu.control.revoke("adele@contoso.test");

    const challenged = await callMe(emu, cae.tokens.access_token);
    expect(challenged.status).toBe(401);
    const header = challenged.headers.get("www-authenticate")!;
    expect(header).toMatch(/^Bearer /);
    expect(header).toContain('error="insufficient_claims"');
    const claims = /claims="([^"]+)"/.exec(header)![1]!;
    expect(JSON.parse(Buffer.from(claims, "base64").toString())).toEqual({ access_token: { nbf: { essential: true, value: String(Math.floor(revokedAt / 1000) + 1) } } });
    expect(challenged.headers.get("access-control-expose-headers")).toContain("WWW-Authenticate");

    expect((await callMe(emu, plain.tokens.access_token)).status).toBe(200);
    const rt = await refresh(emu, cae.tokens.refresh_token, { claims: CP1_CLAIMS });
    expect(rt.body.error).toBe("invalid_grant");

    const fresh = await signInAndRedeem(emu, { claims: CP1_CLAIMS });
    expect((await callMe(emu, fresh.tokens.access_token)).status).toBe(200);
  });

  it("checks the bearer token of the Graph-like resource", async () => {
    const missing = await fetch(`${emu.url}/v1.0/me`);
    expect(missing.status).toBe(401);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe("InvalidAuthenticationToken");
    const forged = await callMe(emu, "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln");
    expect(forged.status).toBe(401);
    const api = await refresh(emu, (await signInAndRedeem(emu)).tokens.refresh_token, { scope: "api://demo/Data.Read" });
    expect((await callMe(emu, String(api.body.access_token))).status).toBe(401);
    const me = await callMe(emu, (await signInAndRedeem(emu, { username: "alex@contoso.test" })).tokens.access_token);
    expect(await me.json()).toMatchObject({ userPrincipalName: "alex@contoso.test", displayName: "Alex Wilber" });
  });
});
