import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Lock } from "../ports.js";
import { MemoryStore } from "../storage/memory-store.js";
import { FakeClock } from "../../e2e/support/unit/fake-clock.js";
import { FakeHttp, type RecordedRequest, type ScriptedResponse } from "../../e2e/support/unit/fake-http.js";
import { FakeRandom } from "../../e2e/support/unit/fake-random.js";
import { FakeRotatingIdp } from "../../e2e/support/unit/fake-rotating-idp.js";
import { CircuitBreaker } from "./circuit-breaker.js";
import { InProcessLock } from "./in-process-lock.js";
import { sendResilient } from "./resilient-request.js";
import { RetryAfterGate } from "./retry-after-gate.js";
import { SingleFlight } from "./single-flight.js";

/**
 * Invariant (R10): a refresh token is never redeemed twice. Callers for several accounts and scopes
 * (scopes of one account share its refresh token) race each other under random faults (5xx, 429,
 * hangs, network errors) and clock moves. The client does what the chain does: single-flight per
 * (account, scope), then the account's refresh-token lock, then re-check the cache, then redeem
 * through sendResilient and store the rotated RT with the new AT in one batch.
 */

const TOKEN_URL = "https://login.example/t/oauth2/v2.0/token";
const KEY = "idp:login.example/t/token";

type Fault = "idp" | "500" | "503" | "429" | "hang" | "network";
type Op = { op: "call"; account: number; scope: number; forceRefresh: boolean } | { op: "advance"; ms: number };

const faultArb = fc.constantFrom<Fault>("idp", "idp", "idp", "500", "503", "429", "hang", "network");
const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    arbitrary: fc.record({
      op: fc.constant("call" as const),
      account: fc.integer({ min: 0, max: 1 }),
      scope: fc.integer({ min: 0, max: 2 }),
      forceRefresh: fc.boolean(),
    }),
    weight: 3,
  },
  { arbitrary: fc.record({ op: fc.constant("advance" as const), ms: fc.integer({ min: 0, max: 30_000 }) }), weight: 2 },
);

interface CachedAccessToken {
  token: string;
  expiresOn: number;
}

async function runSchedule(faults: Fault[], lifetimes: number[], ops: Op[], guarded: boolean) {
  const clock = new FakeClock();
  let issued = 0;
  const idp = new FakeRotatingIdp(() => lifetimes[issued++ % lifetimes.length]!);
  const http = new FakeHttp(clock);
  let served = 0;
  http.on(TOKEN_URL, (request: RecordedRequest): ScriptedResponse | Promise<ScriptedResponse> => {
    const fault = faults[served++] ?? "idp";
    if (fault === "idp") return idp.handle(request);
    if (fault === "429") return { status: 429, headers: { "Retry-After": "7" } };
    if (fault === "500" || fault === "503") return { status: Number(fault) };
    if (fault === "network") return Promise.reject(new TypeError("offline"));
    return new Promise<ScriptedResponse>((_, reject) =>
      request.signal?.addEventListener("abort", () => reject(request.signal?.reason), { once: true }),
    );
  });

  const store = new MemoryStore();
  for (const account of ["a0", "a1"]) await store.set(`rt:${account}`, idp.issueInitial(account));
  const deps = {
    clock,
    http,
    random: new FakeRandom([0.5]),
    gate: new RetryAfterGate(store, clock),
    breaker: new CircuitBreaker(store, clock, { failureThreshold: 100 }),
  };
  const flight = new SingleFlight();
  const lock: Lock = guarded ? new InProcessLock() : { withLock: (_name, fn) => fn() };

  const fromCache = async (account: string, scope: string) => {
    const cached = await store.get<CachedAccessToken>(`at:${account}|${scope}`);
    return cached && cached.expiresOn > clock.now() ? cached.token : undefined;
  };
  const redeem = async (account: string, scope: string, forceRefresh: boolean): Promise<string> => {
    if (!forceRefresh) {
      const cached = await fromCache(account, scope);
      if (cached) return cached;
    }
    const refreshToken = (await store.get<string>(`rt:${account}`))!;
    const body = new URLSearchParams({ grant_type: "refresh_token", refresh_token: refreshToken, scope }).toString();
    const response = await sendResilient(deps, { key: KEY, request: { url: TOKEN_URL, method: "POST", body }, maxAttempts: 2 });
    const json = JSON.parse(await response.text()) as { access_token?: string; refresh_token?: string; expires_in?: number };
    if (response.status !== 200 || !json.access_token || !json.refresh_token) throw new Error(`refresh failed: ${response.status}`);
    await store.batch({
      put: {
        [`rt:${account}`]: json.refresh_token,
        [`at:${account}|${scope}`]: { token: json.access_token, expiresOn: clock.now() + (json.expires_in ?? 0) * 1000 },
      },
    });
    return json.access_token;
  };
  const acquire = (account: string, scope: string, forceRefresh: boolean): Promise<string> => {
    const run = async () => {
      // check → lock → re-check (the re-check is the `fromCache` inside `redeem`)
      if (!forceRefresh) {
        const cached = await fromCache(account, scope);
        if (cached) return cached;
      }
      return lock.withLock(`rt:${account}`, () => redeem(account, scope, forceRefresh));
    };
    return guarded ? flight.run(`${account}|${scope}|${forceRefresh}`, run) : run();
  };

  const pending: Promise<unknown>[] = [];
  for (const op of ops) {
    if (op.op === "call") pending.push(acquire(`a${op.account}`, `scope${op.scope}`, op.forceRefresh).catch(() => undefined));
    else await clock.advance(op.ms);
  }
  await clock.runAll();
  await Promise.all(pending);
  return idp;
}

const schedules = fc.tuple(
  fc.array(faultArb, { maxLength: 20 }),
  fc.array(fc.integer({ min: 1, max: 60 }), { minLength: 1, maxLength: 5 }),
  fc.array(opArb, { minLength: 1, maxLength: 25 }),
);

describe("property: a refresh token is never redeemed twice", () => {
  it("holds with single-flight + lock + re-check under random schedules and faults", async () => {
    await fc.assert(
      fc.asyncProperty(schedules, async ([faults, lifetimes, ops]) => {
        const idp = await runSchedule(faults, lifetimes, ops, true);
        expect(idp.reuses).toEqual([]);
        expect(idp.redeemedTwice()).toBe(false);
      }),
      { numRuns: 150 },
    );
  });

  it("fails without single-flight and the lock (the property can fail)", async () => {
    const result = await fc.check(
      fc.asyncProperty(schedules, async ([faults, lifetimes, ops]) => (await runSchedule(faults, lifetimes, ops, false)).reuses.length === 0),
      { numRuns: 150 },
    );
    expect(result.failed).toBe(true);
  });
});
