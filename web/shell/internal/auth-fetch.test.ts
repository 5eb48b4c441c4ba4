import { beforeEach, describe, expect, it } from "vitest";
import { FakeClock } from "../../../e2e/support/unit/fake-clock.js";
import { FakeHttp } from "../../../e2e/support/unit/fake-http.js";
import { MemoryStore } from "../../../shared/storage/memory-store.js";
import { RetryAfterGate } from "../../../shared/resilience/retry-after-gate.js";
import { CircuitBreaker } from "../../../shared/resilience/circuit-breaker.js";
import { AuthShellError } from "../../../shared/errors.js";
import type { BrokerEvent } from "../../../shared/ports.js";
import { createAuthFetch, type AuthFetch } from "./auth-fetch.js";

const ME = "https://graph.test/v1.0/me";
const challengeClaims = JSON.stringify({ access_token: { nbf: { essential: true, value: "1700000000" } } });
const challengeHeader = `Bearer realm="", authorization_uri="https://login.test/authorize", error="insufficient_claims", claims="${btoa(challengeClaims)}"`;

interface Harness {
  clock: FakeClock;
  http: FakeHttp;
  authFetch: AuthFetch;
  tokenCalls: Array<{ scopes: string[]; claims?: string }>;
  events: BrokerEvent[];
}

function harness(getToken?: (scopes: string[], claims?: string) => Promise<string>): Harness {
  const clock = new FakeClock();
  const http = new FakeHttp(clock);
  const store = new MemoryStore();
  const tokenCalls: Harness["tokenCalls"] = [];
  const events: BrokerEvent[] = [];
  let issued = 0;
  const authFetch = createAuthFetch({
    getToken: async (scopes, claims) => {
      tokenCalls.push(claims === undefined ? { scopes } : { scopes, claims });
      if (getToken) return getToken(scopes, claims);
      issued++;
      return `token-${issued}`;
    },
    http,
    clock,
    random: { bytes: (n) => new Uint8Array(n), float: () => 0.5 },
    gate: new RetryAfterGate(store, clock),
    breaker: new CircuitBreaker(store, clock),
    events: { emit: (e) => events.push(e) },
  });
  return { clock, http, authFetch, tokenCalls, events };
}

/** Starts a call and lets fake time run until it settles. */
async function settle<T>(clock: FakeClock, promise: Promise<T>): Promise<{ value?: T; error?: unknown }> {
  let outcome: { value?: T; error?: unknown } | undefined;
  promise.then((value) => (outcome = { value }), (error: unknown) => (outcome = { error }));
  for (let i = 0; i < 50 && !outcome; i++) {
    await clock.runAll();
    await new Promise((r) => setImmediate(r));
  }
  if (!outcome) throw new Error("call never settled");
  return outcome;
}

describe("authFetch", () => {
  let h: Harness;
  beforeEach(() => {
    h = harness();
  });

  it("injects the bearer token for the requested scopes", async () => {
    h.http.on(ME, { status: 200, body: { displayName: "Adele" } });
    const response = await h.authFetch(ME, { scopes: ["User.Read"] });
    expect(response.status).toBe(200);
    expect(h.http.requests[0]?.headers?.Authorization).toBe("Bearer token-1");
    expect(h.tokenCalls).toEqual([{ scopes: ["User.Read"] }]);
  });

  it("sends nothing to a host that answered 429 until its Retry-After has passed", async () => {
    h.http.on(ME, { status: 429, headers: { "Retry-After": "30" } }, { status: 200, body: {} });
    const first = await settle(h.clock, h.authFetch(ME, { scopes: ["User.Read"] }));
    expect((first.error as AuthShellError).code).toBe("throttled");
    expect(h.http.requests).toHaveLength(1);

    await h.clock.advance(29_000);
    const inside = await settle(h.clock, h.authFetch(ME, { scopes: ["User.Read"] }));
    expect((inside.error as AuthShellError).code).toBe("throttled");
    expect((inside.error as AuthShellError).retryAfterMs).toBeGreaterThan(0);
    expect(h.http.requests).toHaveLength(1);

    // Another path on the same host is throttled too; another host is not.
    h.http.on("https://other.test/", { status: 200, body: {} });
    const otherPath = await settle(h.clock, h.authFetch("https://graph.test/v1.0/groups", { scopes: ["User.Read"] }));
    expect((otherPath.error as AuthShellError).code).toBe("throttled");
    const otherHost = await h.authFetch("https://other.test/x", { scopes: ["User.Read"] });
    expect(otherHost.status).toBe(200);

    await h.clock.advance(1_000);
    const after = await h.authFetch(ME, { scopes: ["User.Read"] });
    expect(after.status).toBe(200);
    expect(h.http.sent(ME)).toHaveLength(2);
  });

  it.each([
    ["a JSON body", { "Content-Type": "application/json", "Retry-After": "20" }, { error: { code: "TooManyRequests", message: "Slow down" } }],
    ["a plain-text 'Too Many Requests' body", { "Content-Type": "text/plain", "Retry-After": "20" }, "Too Many Requests"],
  ])("a 429 with %s is throttled for its Retry-After", async (_shape, headers, body) => {
    h.http.on(ME, { status: 429, headers, body });
    const result = await settle(h.clock, h.authFetch(ME, { scopes: ["User.Read"] }));
    expect((result.error as AuthShellError).code).toBe("throttled");
    expect((result.error as AuthShellError).retryAfterMs).toBe(20_000);
    expect(h.http.sent(ME)).toHaveLength(1);
  });

  it("retries a 5xx with backoff whose first retry waits at least 5 s", async () => {
    h.http.on(ME, { status: 503 }, { status: 200, body: {} });
    const result = await settle(h.clock, h.authFetch(ME, { scopes: ["User.Read"] }));
    expect((result.value as { status: number }).status).toBe(200);
    const sent = h.http.sent(ME);
    expect(sent).toHaveLength(2);
    expect(sent[1]!.at - sent[0]!.at).toBeGreaterThanOrEqual(5_000);
  });

  it("gives up after a bounded number of attempts during an outage", async () => {
    h.http.on(ME, { status: 500 });
    const result = await settle(h.clock, h.authFetch(ME, { scopes: ["User.Read"] }));
    expect(result.error).toBeInstanceOf(AuthShellError);
    expect((result.error as AuthShellError).code).toBe("idp_unavailable");
    const sent = h.http.sent(ME);
    expect(sent).toHaveLength(3);
    for (let i = 1; i < sent.length; i++) expect(sent[i]!.at - sent[i - 1]!.at).toBeGreaterThanOrEqual(5_000);
  });

  it("answers a CAE claims challenge with the challenge's claims merged with cp1, once", async () => {
    h.http.on(ME, { status: 401, headers: { "WWW-Authenticate": challengeHeader } }, { status: 200, body: {} });
    const response = await h.authFetch(ME, { scopes: ["User.Read"] });
    expect(response.status).toBe(200);
    expect(h.tokenCalls).toHaveLength(2);
    const claims = JSON.parse(h.tokenCalls[1]!.claims!) as { access_token: Record<string, unknown> };
    expect(claims.access_token.nbf).toEqual({ essential: true, value: "1700000000" });
    expect(claims.access_token.xms_cc).toEqual({ values: ["cp1"] });
    expect(h.http.requests.map((r) => r.headers?.Authorization)).toEqual(["Bearer token-1", "Bearer token-2"]);
    expect(h.events.some((e) => e.type === "cae.challenge")).toBe(true);
  });

  it("never loops on a repeated claims challenge", async () => {
    h.http.on(ME, { status: 401, headers: { "WWW-Authenticate": challengeHeader } });
    const response = await h.authFetch(ME, { scopes: ["User.Read"] });
    expect(response.status).toBe(401);
    expect(h.http.requests).toHaveLength(2);
    expect(h.tokenCalls).toHaveLength(2);
  });

  it("returns a 401 without a claims challenge as it is, without retrying", async () => {
    h.http.on(ME, { status: 401, headers: { "WWW-Authenticate": 'Bearer error="invalid_token"' } });
    const response = await h.authFetch(ME, { scopes: ["User.Read"] });
    expect(response.status).toBe(401);
    expect(h.http.requests).toHaveLength(1);
    expect(h.tokenCalls).toHaveLength(1);
  });

  it("keeps the challenge's claims on the error when the new token needs the user", async () => {
    let calls = 0;
    const g = harness(async () => {
      calls++;
      if (calls === 1) return "token-1";
      throw new AuthShellError("interaction_required", "The user must sign in again");
    });
    g.http.on(ME, { status: 401, headers: { "WWW-Authenticate": challengeHeader } });
    const error = (await g.authFetch(ME, { scopes: ["User.Read"] }).catch((e: unknown) => e)) as AuthShellError;
    expect(error.code).toBe("interaction_required");
    expect(error.claims).toContain("xms_cc");
    expect(error.claims).toContain("nbf");
    expect(g.http.requests).toHaveLength(1);
  });
});
