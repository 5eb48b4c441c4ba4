import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { FakeClock } from "../../support/unit/fake-clock.js";
import type { TestEmulator } from "./control-client.js";
import { postToken, refresh, signInAndRedeem, startForTest } from "./test-helpers.js";

let emu: TestEmulator;
const clock = new FakeClock(Date.UTC(2026, 5, 1));
beforeAll(async () => {
  emu = await startForTest({ clock });
});
afterAll(() => emu.close());
beforeEach(() => emu.control.reset());

const badGrant = () => postToken(emu, { grant_type: "refresh_token", client_id: emu.clientId, refresh_token: "x", scope: "openid" });
const discovery = () => fetch(`${emu.authority}/v2.0/.well-known/openid-configuration`);

describe("fault injection", () => {
  it("answers 429 with Retry-After in seconds or as an HTTP-date, in the JSON-bodied variant", async () => {
    await emu.control.setFault({ endpoint: "token", type: "status", status: 429, retryAfter: 30, count: 1, body: "json" });
    const seconds = await badGrant();
    expect(seconds.status).toBe(429);
    expect(seconds.headers.get("retry-after")).toBe("30");
    expect(seconds.body.error_codes).toEqual([90055]);
    const date = new Date(clock.now() + 60_000).toUTCString();
    await emu.control.setFault({ endpoint: "token", type: "status", status: 429, retryAfter: date, count: 1, body: "json" });
    expect((await badGrant()).headers.get("retry-after")).toBe(date);
    expect((await badGrant()).status).toBe(400);
    const log = await emu.control.requests({ endpoint: "token" });
    expect(log.map((e) => [e.status, e.fault])).toEqual([[429, "status:429"], [429, "status:429"], [400, undefined]]);
  });

  it("fails the next N requests with 5xx, then recovers", async () => {
    const { tokens } = await signInAndRedeem(emu);
    await emu.control.setFault({ endpoint: "token", type: "status", status: 503, count: 2 });
    expect((await refresh(emu, tokens.refresh_token)).status).toBe(503);
    expect((await refresh(emu, tokens.refresh_token)).status).toBe(503);
    expect((await refresh(emu, tokens.refresh_token)).status).toBe(200);
    expect(await emu.control.faults()).toEqual([]);
  });

  it("fails for a time window (emulator clock)", async () => {
    await emu.control.setFault({ endpoint: "discovery", type: "status", status: 500, durationMs: 10_000 });
    expect((await discovery()).status).toBe(500);
    clock.advance(9_999);
    expect((await discovery()).status).toBe(500);
    clock.advance(1);
    expect((await discovery()).status).toBe(200);
  });

  it("faults only the chosen endpoint; '*' faults all; DELETE clears", async () => {
    await emu.control.setFault({ endpoint: "keys", type: "status", status: 502 });
    expect((await discovery()).status).toBe(200);
    expect((await fetch(`${emu.authority}/discovery/v2.0/keys`)).status).toBe(502);
    await emu.control.setFault({ endpoint: "*", type: "status", status: 504 });
    expect((await discovery()).status).toBe(504);
    await emu.control.clearFaults();
    expect((await discovery()).status).toBe(200);
  });

  it("adds latency before answering normally", async () => {
    await emu.control.setFault({ endpoint: "discovery", type: "latency", latencyMs: 200, count: 1 });
    const started = performance.now();
    const res = await discovery();
    expect(res.status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(199);
    const [entry] = await emu.control.requests({ endpoint: "discovery" });
    expect(entry!.fault).toBe("latency");
  });

  it("hangs until the client gives up", async () => {
    await emu.control.setFault({ endpoint: "token", type: "hang", count: 1 });
    await expect(fetch(`${emu.authority}/oauth2/v2.0/token`, { method: "POST", signal: AbortSignal.timeout(300) })).rejects.toThrow();
    const [entry] = await emu.control.requests({ endpoint: "token" });
    expect(entry).toMatchObject({ fault: "hang", status: 0 });
    expect((await badGrant()).status).toBe(400);
  });

  it("drops the connection", async () => {
    await emu.control.setFault({ endpoint: "me", type: "drop", count: 1 });
    await expect(fetch(`${emu.url}/v1.0/me`)).rejects.toThrow();
    expect((await fetch(`${emu.url}/v1.0/me`)).status).toBe(401);
  });

  it("resets the connection after handling the request: the refresh token was redeemed, the answer lost", async () => {
    const { tokens } = await signInAndRedeem(emu);
    await emu.control.setSettings({ refreshTokenReuse: "revoke_family" });
    await emu.control.setFault({ endpoint: "token", type: "reset", count: 1 });
    await expect(refresh(emu, tokens.refresh_token)).rejects.toThrow();
    const [entry] = await emu.control.requests({ endpoint: "token", grantType: "refresh_token" });
    expect(entry).toMatchObject({ fault: "reset", status: 0, grantType: "refresh_token" });
    // The lost answer's redemption happened: presenting the same token again is reuse.
    const again = await refresh(emu, tokens.refresh_token);
    expect(again.status).toBe(400);
    expect(again.body.error).toBe("invalid_grant");
  });

  it("rejects malformed fault specs", async () => {
    await expect(emu.control.setFault({ endpoint: "nope" as "token", type: "status", status: 429 })).rejects.toThrow(/400/);
    await expect(emu.control.setFault({ endpoint: "token", type: "status", status: 200 })).rejects.toThrow(/400/);
  });
});

describe("request log and metrics", () => {
  it("records IdP requests but never token, code or password values", async () => {
    const { tokens, code } = await signInAndRedeem(emu);
    await refresh(emu, tokens.refresh_token);
    await fetch(`${emu.url}/__control/metrics`);
    const entries = await emu.control.requests();
    expect(entries.map((e) => `${e.method} ${e.endpoint} ${e.grantType ?? ""}`.trim())).toEqual(["POST authorize", "POST token authorization_code", "POST token refresh_token"]);
    expect(entries[1]).toMatchObject({ clientId: emu.clientId, username: "adele@contoso.test", status: 200, origin: "http://localhost:3000" });
    const serialized = JSON.stringify(entries);
    for (const secret of [tokens.access_token, tokens.refresh_token, tokens.id_token, code, "Passw0rd!"]) expect(serialized).not.toContain(secret);
    const since = entries[1]!.seq;
    expect((await emu.control.requests({ since })).length).toBe(1);
    const metrics = await emu.control.metrics();
    expect(metrics.grantsByType).toEqual({ authorization_code: 1, refresh_token: 1 });
    expect(metrics.liveRefreshTokenFamilies).toBe(1);
    await emu.control.clearRequests();
    expect(await emu.control.requests()).toEqual([]);
    expect(await emu.control.lastSeq()).toBe(entries[2]!.seq);
  });
});
