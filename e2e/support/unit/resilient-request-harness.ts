import type { AuthShellError } from "../../../shared/errors.js";
import type { BrokerEvent, HttpRequest, KeyValueStore } from "../../../shared/ports.js";
import { clockedEmitter } from "../../../shared/events.js";
import { MemoryStore } from "../../../shared/storage/memory-store.js";
import { FakeClock } from "./fake-clock.js";
import { FakeHttp } from "./fake-http.js";
import { FakeRandom } from "./fake-random.js";
import { CircuitBreaker } from "../../../shared/resilience/circuit-breaker.js";
import { sendResilient, type ResilienceDeps, type ResilientRequestOptions } from "../../../shared/resilience/resilient-request.js";
import { RetryAfterGate } from "../../../shared/resilience/retry-after-gate.js";

/** Shared set-up for the resilient-request-*.test.ts files. */
export const KEY = "idp:login.example/tenant/token";
export const TOKEN_URL = "https://login.example/tenant/oauth2/v2.0/token";
export const request: HttpRequest = { url: TOKEN_URL, method: "POST", body: "grant_type=refresh_token&refresh_token=secret-rt" };

export function setup(store: KeyValueStore = new MemoryStore()) {
  const clock = new FakeClock();
  const http = new FakeHttp(clock);
  const events: BrokerEvent[] = [];
  const sink = { emit: (e: BrokerEvent) => void events.push(e) };
  const emit = clockedEmitter(clock, sink);
  const deps: ResilienceDeps = {
    clock,
    http,
    random: new FakeRandom([0]),
    gate: new RetryAfterGate(store, clock, emit),
    breaker: new CircuitBreaker(store, clock, {}, undefined, emit),
    events: sink,
  };
  const t0 = clock.now();
  const sentAt = () => http.requests.map((r) => r.at - t0);
  return { clock, http, deps, events, store, t0, sentAt };
}

/** Starts the request, lets fake time run until nothing sleeps, and returns the outcome. */
export async function run(deps: ResilienceDeps, clock: FakeClock, options: Partial<ResilientRequestOptions> = {}) {
  const outcome = sendResilient(deps, { key: KEY, request, ...options }).then(
    (response) => ({ response, error: undefined }),
    (error: unknown) => ({ response: undefined, error: error as AuthShellError }),
  );
  await clock.runAll();
  return outcome;
}
