/** Failure behaviour that follows Entra (issue 8): throttling shape, loop detection, Entra errors, tenant-bound codes. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { FakeClock } from "../../support/unit/fake-clock.js";
import type { TestEmulator } from "./control-client.js";
import { ORIGIN, authorizeUrl, createPkce, expectEntraErrorShape, redeemCode, redirectParams, refresh, signIn, signInAndRedeem, startForTest, tokenUrl } from "./test-helpers.js";

let emu: TestEmulator;
const clock = new FakeClock(Date.UTC(2026, 5, 1, 12, 0, 0));
beforeAll(async () => {
  emu = await startForTest({ clock });
});
afterAll(() => emu.close());
beforeEach(() => emu.control.reset());

const rawToken = (form: Record<string, string>) =>
  fetch(tokenUrl(emu), { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: ORIGIN }, body: new URLSearchParams(form) });
const get = (url: string, cookie?: string) => fetch(url, { redirect: "manual", headers: cookie ? { Cookie: cookie } : {} });

describe("429 in Entra's shape", () => {
  it("answers plain text 'Too Many Requests' with Retry-After: 60 when the fault names none, readable cross-origin", async () => {
    await emu.control.fault({ endpoint: "token", type: "status", status: 429, count: 1 });
    const res = await rawToken({ grant_type: "refresh_token", client_id: emu.clientId, refresh_token: "x", scope: "openid" });
    expect(res.status).toBe(429);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain/);
    expect(await res.text()).toBe("Too Many Requests");
    expect(res.headers.get("retry-after")).toBe("60");
    expect(res.headers.get("access-control-allow-origin")).toBe(ORIGIN);
  });

  it("sends the configured seconds or HTTP-date, omits the header on retryAfter: null, and gives JSON on body: 'json'", async () => {
    const date = new Date(clock.now() + 120_000).toUTCString();
    await emu.control.fault({ endpoint: "token", type: "status", status: 429, retryAfter: 5, count: 1 });
    await emu.control.fault({ endpoint: "token", type: "status", status: 429, retryAfter: date, count: 1 });
    await emu.control.fault({ endpoint: "token", type: "status", status: 429, retryAfter: null, count: 1 });
    await emu.control.fault({ endpoint: "token", type: "status", status: 429, body: "json", count: 1 });
    const form = { grant_type: "refresh_token", client_id: emu.clientId, refresh_token: "x", scope: "openid" };
    const answers = [];
    for (let i = 0; i < 4; i++) {
      const res = await rawToken(form);
      answers.push({ status: res.status, retryAfter: res.headers.get("retry-after"), type: res.headers.get("content-type")?.split(";")[0] });
      if (i === 3) expect(((await res.json()) as { error_codes: number[] }).error_codes).toEqual([90055]);
    }
    expect(answers).toEqual([
      { status: 429, retryAfter: "5", type: "text/plain" },
      { status: 429, retryAfter: date, type: "text/plain" },
      { status: 429, retryAfter: null, type: "text/plain" },
      { status: 429, retryAfter: "60", type: "application/json" },
    ]);
  });

  it("keeps 5xx answers Entra JSON without a Retry-After unless one is set", async () => {
    await emu.control.fault({ endpoint: "token", type: "status", status: 503, count: 1 });
    const res = await rawToken({ grant_type: "refresh_token" });
    expect(res.headers.get("retry-after")).toBeNull();
    expectEntraErrorShape((await res.json()) as Record<string, unknown>);
  });
});

describe("request-loop detection (AADSTS50196)", () => {
  it("lets 20 identical refresh grants through in 10 s and answers the 21st with AADSTS50196", async () => {
    const { tokens } = await signInAndRedeem(emu);
    const statuses: number[] = [];
    let last: Record<string, unknown> = {};
    for (let i = 0; i < 21; i++) {
      const res = await refresh(emu, tokens.refresh_token);
      statuses.push(res.status);
      last = res.body;
    }
    expect(statuses.slice(0, 20).every((s) => s === 200)).toBe(true);
    expect(statuses[20]).toBe(400);
    expect(last.error_codes).toEqual([50196]);
    expectEntraErrorShape(last);
    const log = await emu.control.requests({ endpoint: "token", grantType: "refresh_token" });
    expect(log.at(-1)).toMatchObject({ status: 400, error: "invalid_request", username: "adele@contoso.test", fault: "request_loop" });
    expect(log.filter((e) => e.fault === "request_loop")).toHaveLength(1);
  });

  it("forgets requests older than the window; another user or scope is a different request", async () => {
    const { tokens } = await signInAndRedeem(emu);
    for (let i = 0; i < 20; i++) expect((await refresh(emu, tokens.refresh_token)).status).toBe(200);
    expect((await refresh(emu, tokens.refresh_token, { scope: "api://demo/Data.Read offline_access" })).status).toBe(200);
    const alex = await signInAndRedeem(emu, { username: "alex@contoso.test" });
    expect((await refresh(emu, alex.tokens.refresh_token)).status).toBe(200);
    clock.advance(10_001);
    expect((await refresh(emu, tokens.refresh_token)).status).toBe(200);
  });

  it("takes thresholds from the control API and can be turned off", async () => {
    await emu.control.setSettings({ loopDetection: { maxRequests: 2, windowSeconds: 60 } });
    const { tokens } = await signInAndRedeem(emu);
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await refresh(emu, tokens.refresh_token)).status);
    expect(statuses).toEqual([200, 200, 400]);
    expect((await emu.control.setSettings({ loopDetection: false })).loopDetection.enabled).toBe(false);
    for (let i = 0; i < 30; i++) expect((await refresh(emu, tokens.refresh_token)).status).toBe(200);
    await emu.control.reset();
    expect((await emu.control.settings()).loopDetection).toEqual({ enabled: true, maxRequests: 20, windowSeconds: 10 });
  });

  it("answers a loop of silent authorize requests with AADSTS50196 through the redirect", async () => {
    const { cookie } = await signIn(emu);
    const errors: (string | null)[] = [];
    for (let i = 0; i < 21; i++) {
      const res = await get(authorizeUrl(emu, { code_challenge: createPkce().challenge, prompt: "none" }), cookie);
      const params = redirectParams(res.headers.get("location"));
      errors.push(params.get("error"));
      if (i === 20) expect(params.get("error_description")).toMatch(/^AADSTS50196:/);
    }
    expect(errors.slice(0, 20)).toEqual(Array(20).fill(null));
    expect(errors[20]).toBe("invalid_request");
    const log = await emu.control.requests({ endpoint: "authorize" });
    expect(log.at(-1)).toMatchObject({ prompt: "none", fault: "request_loop" });
  });
});

describe("entra_error faults", () => {
  it("answers /token with a preset (MFA: AADSTS50076, basic_action, claims) and then recovers", async () => {
    const { tokens } = await signInAndRedeem(emu);
    await emu.control.fault({ endpoint: "token", type: "entra_error", preset: "mfa_required", count: 1 });
    const mfa = await refresh(emu, tokens.refresh_token);
    expect(mfa.status).toBe(400);
    expect(mfa.body).toMatchObject({ error: "invalid_grant", error_codes: [50076], suberror: "basic_action" });
    expect(JSON.parse(String(mfa.body.claims))).toHaveProperty("access_token");
    expectEntraErrorShape(mfa.body);
    expect((await refresh(emu, tokens.refresh_token)).status).toBe(200);
    // Faults answer before the body is read, so the entry has no grantType.
    const faulted = (await emu.control.requests({ endpoint: "token" })).find((e) => e.fault);
    expect(faulted).toMatchObject({ status: 400, fault: "entra_error:mfa_required", error: "invalid_grant" });
  });

  it.each([
    ["mfa_registration_required", "invalid_grant", 50079],
    ["consent_required", "invalid_grant", 65001],
    ["ca_blocked", "invalid_grant", 53003],
    ["refresh_token_expired", "invalid_grant", 700082],
  ] as const)("preset %s answers /token with %s AADSTS%d", async (preset, error, aadsts) => {
    await emu.control.fault({ endpoint: "token", type: "entra_error", preset, count: 1 });
    const res = await refresh(emu, "x");
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error, error_codes: [aadsts] });
    expectEntraErrorShape(res.body);
    const [entry] = await emu.control.requests({ endpoint: "token" });
    expect(entry).toMatchObject({ status: 400, error, fault: `entra_error:${preset}` });
  });

  it("answers /authorize through the redirect with error, suberror, claims and state; custom errors too", async () => {
    const claims = JSON.stringify({ access_token: { acrs: { essential: true, value: "c1" } } });
    await emu.control.fault({ endpoint: "authorize", type: "entra_error", error: "interaction_required", aadsts: 50076, suberror: "basic_action", claims, count: 1 });
    const res = await get(authorizeUrl(emu, { code_challenge: createPkce().challenge, prompt: "none" }));
    expect(res.status).toBe(302);
    const params = redirectParams(res.headers.get("location"));
    expect(Object.fromEntries(["error", "suberror", "claims", "state"].map((k) => [k, params.get(k)]))).toEqual({ error: "interaction_required", suberror: "basic_action", claims, state: "state-123" });
    expect(params.get("error_description")).toMatch(/^AADSTS50076:/);
    await emu.control.fault({ endpoint: "authorize", type: "entra_error", preset: "consent_required", count: 1 });
    const consent = redirectParams((await get(authorizeUrl(emu, { code_challenge: createPkce().challenge }))).headers.get("location"));
    expect([consent.get("error"), consent.get("error_description")?.slice(0, 13)]).toEqual(["consent_required", "AADSTS65001: "]);
  });

  it("still shows the error page (no redirect) when the redirect URI is not registered", async () => {
    await emu.control.fault({ endpoint: "authorize", type: "entra_error", preset: "ca_blocked" });
    const res = await get(authorizeUrl(emu, { code_challenge: createPkce().challenge, redirect_uri: "https://evil.example/" }));
    expect(res.status).toBe(400);
    expect(res.headers.get("location")).toBeNull();
  });

  it("rejects malformed entra_error specs", async () => {
    await expect(emu.control.fault({ endpoint: "me", type: "entra_error", preset: "mfa_required" })).rejects.toThrow(/400/);
    await expect(emu.control.fault({ endpoint: "token", type: "entra_error" })).rejects.toThrow(/preset or an error/);
    await expect(emu.control.fault({ endpoint: "token", type: "entra_error", preset: "nope" as "mfa_required" })).rejects.toThrow(/preset must be/);
    await expect(emu.control.fault({ endpoint: "token", type: "entra_error", error: "x", claims: "{not json" })).rejects.toThrow(/claims/);
  });
});

describe("codes are bound to the tenant they were issued for", () => {
  it("refuses at /common a code issued on the tenant path (AADSTS700005), accepts it on the tenant's domain", async () => {
    const onTenant = await signIn(emu);
    const common = await fetch(`${emu.url}/common/oauth2/v2.0/token`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: ORIGIN },
      body: new URLSearchParams({ grant_type: "authorization_code", client_id: emu.clientId, code: onTenant.code, redirect_uri: "http://localhost:3000/", code_verifier: onTenant.pkce.verifier, scope: "openid" }),
    });
    const body = (await common.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ error: "invalid_grant", error_codes: [700005] });
    const again = await signIn(emu);
    const domain = await fetch(`${emu.url}/contoso.test/oauth2/v2.0/token`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: ORIGIN },
      body: new URLSearchParams({ grant_type: "authorization_code", client_id: emu.clientId, code: again.code, redirect_uri: "http://localhost:3000/", code_verifier: again.pkce.verifier, scope: "openid" }),
    });
    expect(domain.status).toBe(200);
    expect((await redeemCode(emu, await signIn(emu))).status).toBe(200);
  });
});
