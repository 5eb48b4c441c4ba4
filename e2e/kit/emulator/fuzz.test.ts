import { Agent, request } from "node:https";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestEmulator } from "./control-client.js";
import { callMe, signInAndRedeem, startForTest } from "./test-helpers.js";

let emu: TestEmulator;
beforeAll(async () => {
  emu = await startForTest();
});
afterAll(() => emu.close());

const agent = new Agent({ rejectUnauthorized: false, keepAlive: true, maxSockets: 8 });

interface RawResponse {
  status: number;
  contentType: string;
  body: string;
}

function raw(method: string, path: string, headers: Record<string, string>, body?: string | Buffer): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const url = new URL(emu.url);
    const req = request({ host: url.hostname, port: url.port, method, path, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, contentType: String(res.headers["content-type"] ?? ""), body: Buffer.concat(chunks).toString() }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(body);
  });
}

const PATHS = [
  "/{t}/oauth2/v2.0/token",
  "/{t}/oauth2/v2.0/authorize",
  "/{t}/oauth2/v2.0/logout",
  "/{t}/v2.0/.well-known/openid-configuration",
  "/{t}/discovery/v2.0/keys",
  "/common/discovery/instance",
  "/v1.0/me",
  "/__control/faults",
  "/__control/lifetimes",
  "/__control/revoke",
  "/__control/expire",
  "/__control/clients",
  "/__control/requests",
  "/nowhere",
  "/%",
  "/../../etc/passwd",
];

const requestArbitrary = fc.record({
  method: fc.constantFrom("GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD"),
  path: fc.constantFrom(...PATHS),
  tenant: fc.oneof(fc.constant("{tenant}"), fc.constant("common"), fc.string({ maxLength: 30 }).map((s) => encodeURIComponent(s) || "x")),
  query: fc.oneof(fc.constant(""), fc.dictionary(fc.constantFrom("client_id", "redirect_uri", "scope", "code_challenge", "prompt", "response_mode", "claims", "response_type", "since", "state", "authorization_endpoint"), fc.string({ maxLength: 80 })).map((d) => new URLSearchParams(d).toString())),
  contentType: fc.constantFrom("application/x-www-form-urlencoded", "application/json", "text/plain", "multipart/form-data; boundary=x", "", "application/x-www-form-urlencoded; charset=utf-8"),
  body: fc.oneof(
    fc.string({ maxLength: 300 }),
    fc.dictionary(fc.constantFrom("grant_type", "client_id", "code", "refresh_token", "redirect_uri", "code_verifier", "scope", "claims", "request", "username", "password", "endpoint", "type", "status", "what"), fc.oneof(fc.string({ maxLength: 60 }), fc.constantFrom("authorization_code", "refresh_token", "token", "status", "hang", "sessions"))).map((d) => new URLSearchParams(d).toString()),
    fc.json().map((j) => j),
    fc.uint8Array({ maxLength: 200 }).map((a) => Buffer.from(a).toString("latin1")),
  ),
  authorization: fc.oneof(fc.constant(undefined), fc.string({ maxLength: 100 }).map((s) => `Bearer ${s}`), fc.constant("Bearer a.b.c")),
});

describe("robustness", () => {
  it("answers hundreds of malformed requests with well-formed 4xx and keeps working", async () => {
    let sent = 0;
    await fc.assert(
      fc.asyncProperty(requestArbitrary, async (r) => {
        // Never let the fuzzer install a real hang/latency/status fault that would stall the run.
        const path = r.path.replace("{t}", r.tenant === "{tenant}" ? emu.tenant : r.tenant).replace("/__control/faults", "/__control/nope");
        const headers: Record<string, string> = { Origin: "http://localhost:3000" };
        if (r.contentType) headers["Content-Type"] = r.contentType;
        if (r.authorization) headers.Authorization = r.authorization.replace(/[^\x20-\x7e]/g, "");
        const withBody = r.method !== "GET" && r.method !== "HEAD";
        const res = await raw(r.method, `${path}${r.query ? `?${r.query}` : ""}`, headers, withBody ? r.body : undefined);
        sent++;
        expect(res.status, `${r.method} ${path}`).toBeGreaterThanOrEqual(200);
        expect(res.status, `${r.method} ${path}`).toBeLessThan(500);
        if (res.contentType.startsWith("application/json") && r.method !== "HEAD") expect(() => JSON.parse(res.body)).not.toThrow();
      }),
      { numRuns: 300, seed: 20260601 },
    );
    expect(sent).toBe(300);

    const token = `/${emu.tenant}/oauth2/v2.0/token`;
    const big = await raw("POST", token, { "Content-Type": "application/x-www-form-urlencoded", Origin: "http://localhost:3000" }, Buffer.alloc(1024 * 1024, "a"));
    expect(big.status).toBe(413);
    const longQuery = await raw("GET", `/${emu.tenant}/oauth2/v2.0/authorize?scope=${"a".repeat(20_000)}`, {});
    expect(longQuery.status).toBe(414);
    const badJson = await raw("POST", "/__control/revoke", { "Content-Type": "application/json" }, "{not json");
    expect(badJson.status).toBe(400);
    const dupes = await raw("POST", token, { "Content-Type": "application/x-www-form-urlencoded", Origin: "http://localhost:3000" }, "grant_type=refresh_token&grant_type=authorization_code");
    expect(dupes.status).toBe(400);
    expect(JSON.parse(dupes.body).error_codes).toEqual([90014]);
    const hugeHeader = await raw("GET", "/v1.0/me", { Authorization: `Bearer ${"a".repeat(40_000)}` }).catch(() => ({ status: 431 }));
    expect(hugeHeader.status).toBeGreaterThanOrEqual(400);
    expect(hugeHeader.status).toBeLessThan(500);

    await emu.control.reset();
    const { tokens } = await signInAndRedeem(emu);
    expect((await callMe(emu, tokens.access_token)).status).toBe(200);
  });
});
