import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MemoryStore } from "../storage/memory-store.js";
import { FakeClock, flushMicrotasks } from "../../e2e/support/unit/fake-clock.js";
import { FakeHttp, type RecordedRequest, type ScriptedResponse, type ScriptStep } from "../../e2e/support/unit/fake-http.js";
import { FakeRandom } from "../../e2e/support/unit/fake-random.js";
import { CircuitBreaker } from "./circuit-breaker.js";
import { sendResilient, type ResilienceDeps } from "./resilient-request.js";
import { RetryAfterGate } from "./retry-after-gate.js";

/**
 * Invariant (R5): under any schedule of callers, faults and clock moves — including service-worker
 * restarts — no request leaves for a key while a Retry-After window that key's endpoint gave is
 * open. The oracle computes each window from what the fake server sent, by the documented rules
 * (seconds or HTTP-date; 5 s when absent, garbage, zero, negative or past; 5 min cap).
 */

const KEYS = ["idp:login.example/t/token", "resource:graph.example"] as const;
const URLS: Record<string, string> = { [KEYS[0]]: "https://login.example/t/oauth2/v2.0/token", [KEYS[1]]: "https://graph.example/v1.0/me" };
const DEFAULT_MS = 5_000;
const CAP_MS = 300_000;

type RetryAfterHeader =
  | { type: "seconds"; seconds: number }
  | { type: "date"; offsetSeconds: number }
  | { type: "garbage"; text: string }
  | { type: "absent" };

type Fault =
  | { kind: "ok" }
  | { kind: "429"; retryAfter: RetryAfterHeader }
  | { kind: "5xx"; status: number; retryAfter: RetryAfterHeader }
  | { kind: "hang" }
  | { kind: "network" };

type Op = { op: "call"; key: number; maxAttempts: number } | { op: "advance"; ms: number } | { op: "restart" };

const retryAfterArb: fc.Arbitrary<RetryAfterHeader> = fc.oneof(
  fc.record({ type: fc.constant("seconds" as const), seconds: fc.oneof(fc.integer({ min: 0, max: 120 }), fc.constant(864_000)) }),
  fc.record({ type: fc.constant("date" as const), offsetSeconds: fc.integer({ min: -60, max: 120 }) }),
  fc.record({ type: fc.constant("garbage" as const), text: fc.constantFrom("soon", "-5", "1.5", "", "Tue, 99 Foo", "12:00") }),
  fc.constant({ type: "absent" as const }),
);

const faultArb: fc.Arbitrary<Fault> = fc.oneof(
  { arbitrary: fc.constant({ kind: "ok" as const }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant("429" as const), retryAfter: retryAfterArb }), weight: 3 },
  {
    arbitrary: fc.record({ kind: fc.constant("5xx" as const), status: fc.constantFrom(500, 502, 503, 504), retryAfter: retryAfterArb }),
    weight: 2,
  },
  { arbitrary: fc.constant({ kind: "hang" as const }), weight: 1 },
  { arbitrary: fc.constant({ kind: "network" as const }), weight: 1 },
);

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { arbitrary: fc.record({ op: fc.constant("call" as const), key: fc.integer({ min: 0, max: 1 }), maxAttempts: fc.integer({ min: 1, max: 3 }) }), weight: 4 },
  { arbitrary: fc.record({ op: fc.constant("advance" as const), ms: fc.oneof(fc.integer({ min: 0, max: 2_000 }), fc.integer({ min: 0, max: 40_000 })) }), weight: 4 },
  { arbitrary: fc.constant({ op: "restart" as const }), weight: 1 },
);

function headerValue(header: RetryAfterHeader, at: number): string | undefined {
  switch (header.type) {
    case "seconds":
      return String(header.seconds);
    case "date":
      return new Date(at + header.offsetSeconds * 1000).toUTCString();
    case "garbage":
      return header.text;
    case "absent":
      return undefined;
  }
}

/** The window the server asked for, by the documented rules; `undefined` = no window asked. */
function windowMs(status: number, header: string | undefined, at: number): number | undefined {
  let asked: number | undefined;
  if (header !== undefined && /^\d+$/.test(header)) asked = Number(header) * 1000;
  else if (header !== undefined && /GMT$/.test(header)) asked = Date.parse(header) - at;
  if (asked !== undefined && asked > 0) return Math.min(asked, CAP_MS);
  return status === 429 ? DEFAULT_MS : undefined;
}

/** Pairs (earlier answer with a window, later request inside it) for the same key. */
function violations(requests: readonly RecordedRequest[]): string[] {
  const found: string[] = [];
  for (const answered of requests) {
    const response = answered.response;
    if (!response || (response.status !== 429 && response.status < 500)) continue;
    const window = windowMs(response.status, response.headers["Retry-After"], answered.at);
    if (window === undefined) continue;
    for (const later of requests) {
      if (later.url === answered.url && later.at > answered.at && later.at < answered.at + window) {
        found.push(`${later.url} sent at +${later.at - answered.at} ms inside a ${window} ms window (${response.status})`);
      }
    }
  }
  return found;
}

async function runSchedule(faults: Fault[], ops: Op[], options: { ignoreGate?: boolean } = {}): Promise<RecordedRequest[]> {
  const clock = new FakeClock();
  const http = new FakeHttp(clock);
  const steps: ScriptStep[] = faults.map((fault): ScriptStep => {
    switch (fault.kind) {
      case "ok":
        return { status: 200, body: {} };
      case "hang":
        return { hang: true };
      case "network":
        return { networkError: "offline" };
      case "429":
      case "5xx": {
        const status = fault.kind === "429" ? 429 : fault.status;
        return (request): ScriptedResponse => {
          const value = headerValue(fault.retryAfter, request.at);
          const headers: Record<string, string> = value === undefined ? {} : { "Retry-After": value };
          return { status, headers };
        };
      }
    }
  });
  http.on(() => true, ...steps, { status: 200, body: {} });

  const store = new MemoryStore();
  const makeDeps = async (): Promise<ResilienceDeps> => {
    const gate = new RetryAfterGate(store, clock);
    const breaker = new CircuitBreaker(store, clock);
    await gate.load();
    await breaker.load();
    if (options.ignoreGate) gate.check = () => undefined;
    return { clock, http, random: new FakeRandom([0.3, 0.9, 0.1, 0.6]), gate, breaker };
  };
  let deps = await makeDeps();
  let controllers: AbortController[] = [];
  const pending: Promise<unknown>[] = [];

  for (const op of ops) {
    if (op.op === "call") {
      const key = KEYS[op.key]!;
      const controller = new AbortController();
      controllers.push(controller);
      pending.push(
        sendResilient(deps, { key, request: { url: URLS[key]!, method: "POST", body: "x=1" }, maxAttempts: op.maxAttempts, signal: controller.signal }).catch(
          () => undefined,
        ),
      );
    } else if (op.op === "advance") {
      await clock.advance(op.ms);
    } else {
      // The service worker dies: answers already received are processed, everything else is cut off.
      await flushMicrotasks();
      for (const controller of controllers) controller.abort();
      controllers = [];
      await flushMicrotasks();
      deps = await makeDeps();
    }
  }
  await clock.runAll();
  await Promise.all(pending);
  return http.requests;
}

describe("property: no request inside a Retry-After window", () => {
  const schedules = fc.tuple(fc.array(faultArb, { minLength: 1, maxLength: 25 }), fc.array(opArb, { minLength: 1, maxLength: 30 }));

  it("holds under random callers, faults, clock moves and restarts", async () => {
    await fc.assert(
      fc.asyncProperty(schedules, async ([faults, ops]) => {
        const requests = await runSchedule(faults, ops);
        expect(violations(requests)).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });

  it("the oracle catches a sender that ignores the gate (the property can fail)", async () => {
    const result = await fc.check(
      fc.asyncProperty(schedules, async ([faults, ops]) => violations(await runSchedule(faults, ops, { ignoreGate: true })).length === 0),
      { numRuns: 150 },
    );
    expect(result.failed).toBe(true);
  });
});
