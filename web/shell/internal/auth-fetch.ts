import { clockedEmitter } from "../../../shared/events.js";
import type { Clock, EventSink, HttpClient, HttpResponse, Random } from "../../../shared/ports.js";
import type { CircuitBreaker } from "../../../shared/resilience/circuit-breaker.js";
import type { RetryAfterGate } from "../../../shared/resilience/retry-after-gate.js";
import { sendResilient } from "../../../shared/resilience/resilient-request.js";
import { resourceGateKey } from "../../../shared/resilience/gate-keys.js";
import { claimsChallengeFrom, withClientCapabilities } from "../../../shared/cae/claims-request.js";
import { withChallengeClaims } from "../../../shared/cae/claims-error.js";
import { createFetchHttpClient } from "../../../shared/platform/fetch-http-client.js";

/** Returns an access token for `scopes`; with `claims` it must bypass any cache (a CAE challenge). */
type GetAccessToken = (scopes: string[], claims?: string) => Promise<string>;

export interface AuthFetchDeps {
  getToken: GetAccessToken;
  /** The HttpClient port; when absent, `fetch` (or the global fetch) is adapted. */
  http?: HttpClient;
  fetch?: typeof fetch;
  clock: Clock;
  random: Random;
  gate: RetryAfterGate;
  breaker: CircuitBreaker;
  events?: EventSink;
  /** Client capabilities merged into a claims challenge (CAE). Default ["cp1"]. */
  clientCapabilities?: string[];
  /** Attempts per request for 5xx / network errors / timeouts (default 3: two retries, first ≥ 5 s). */
  maxAttempts?: number;
  timeoutMs?: number;
}

interface AuthFetchInit {
  scopes: string[];
  method?: "GET" | "POST";
  headers?: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
}

export type AuthFetch = (url: string, init: AuthFetchInit) => Promise<HttpResponse>;

/**
 * `fetch` for protected resources (R9, R11): injects the bearer token, honours Retry-After per host
 * (nothing is sent to a throttled host before the window ends), retries 5xx and timeouts with
 * jittered backoff (first retry ≥ 5 s, bounded), and answers a CAE claims challenge by acquiring a
 * token with the challenge's claims (merged with the client capabilities) and retrying exactly once.
 * Non-5xx responses (including a second 401) are returned to the caller as they are.
 */
export function createAuthFetch(deps: AuthFetchDeps): AuthFetch {
  const http = deps.http ?? createFetchHttpClient(deps.fetch);
  const capabilities = deps.clientCapabilities ?? ["cp1"];
  const resilience = {
    clock: deps.clock,
    http,
    random: deps.random,
    gate: deps.gate,
    breaker: deps.breaker,
    ...(deps.events ? { events: deps.events } : {}),
  };

  const emit = clockedEmitter(deps.clock, deps.events);

  const send = (url: string, init: AuthFetchInit, accessToken: string) =>
    sendResilient(resilience, {
      key: resourceGateKey(url),
      request: {
        url,
        method: init.method ?? "GET",
        headers: { ...init.headers, Authorization: `Bearer ${accessToken}` },
        ...(init.body !== undefined ? { body: init.body } : {}),
        ...(init.signal ? { signal: init.signal } : {}),
      },
      maxAttempts: deps.maxAttempts ?? 3,
      ...(deps.timeoutMs !== undefined ? { timeoutMs: deps.timeoutMs } : {}),
      ...(init.signal ? { signal: init.signal } : {}),
    });

  return async function authFetch(url, init) {
    const host = new URL(url).host;
    const first = await send(url, init, await deps.getToken(init.scopes));
    if (first.status !== 401) return first;

    const challenge = claimsChallengeFrom(first.headers.get("WWW-Authenticate") ?? "");
    if (challenge === undefined) return first;

    const claims = withClientCapabilities(challenge, capabilities);
    emit("cae.challenge", `${host} asked for fresh claims; acquiring a new token once`, { host });
    let token: string;
    try {
      token = await deps.getToken(init.scopes, claims);
    } catch (error) {
      throw withChallengeClaims(error, claims);
    }
    const second = await send(url, init, token);
    if (second.status === 401) {
      emit("cae.challenge_repeated", `${host} rejected the re-acquired token too; not retrying again`, { host });
    }
    return second;
  };
}
