import { AuthShellError } from "../errors.js";
import { clockedEmitter, type CoreEventType, type Emit } from "../events.js";
import type { Clock, EventSink, HttpClient, HttpRequest, HttpResponse, Random } from "../ports.js";
import { backoffDelay, DEFAULT_BACKOFF, type BackoffPolicy } from "./backoff.js";
import type { BreakerPermit, CircuitBreaker } from "./circuit-breaker.js";
import { DEFAULT_RETRY_AFTER, parseRetryAfter, retryAfterFromHeader, type RetryAfterPolicy } from "./retry-after.js";
import type { RetryAfterGate } from "./retry-after-gate.js";
import { abortError, DEFAULT_TIMEOUT_MS, withTimeout } from "./timeout.js";

export interface ResiliencePolicy {
  /** Per-attempt timeout. */
  timeoutMs: number;
  /** Total attempts including the first; 1 = no retry. */
  maxAttempts: number;
  backoff: BackoffPolicy;
  retryAfter: RetryAfterPolicy;
}

const DEFAULT_RESILIENCE: ResiliencePolicy = {
  timeoutMs: DEFAULT_TIMEOUT_MS,
  maxAttempts: 4,
  backoff: DEFAULT_BACKOFF,
  retryAfter: DEFAULT_RETRY_AFTER,
};

export interface ResilienceDeps {
  clock: Clock;
  http: HttpClient;
  random: Random;
  gate: RetryAfterGate;
  breaker: CircuitBreaker;
  events?: EventSink;
  policy?: Partial<ResiliencePolicy>;
}

export interface ResilientRequestOptions {
  /** Gate and breaker key, e.g. "idp:<host>/<tenant>/token" or "resource:<host>". */
  key: string;
  request: HttpRequest;
  timeoutMs?: number;
  maxAttempts?: number;
  /** Statuses retried with backoff; default: every 5xx. */
  retryStatuses?: readonly number[];
  signal?: AbortSignal;
}

type AttemptFailure = { error: AuthShellError; serverWaitMs?: number };

/**
 * Sends one HTTP request under every resilience rule (R5, R6):
 * 1. the Retry-After gate and the circuit breaker are asked first; when closed/open nothing is sent
 *    and `throttled` / `idp_unavailable` is thrown with `retryAfterMs`;
 * 2. each attempt has a timeout (AbortController + clock.sleep);
 * 3. 429 closes the gate for `Retry-After` and throws `throttled` (never retried here);
 * 4. 5xx, network errors and timeouts open the key's breaker for its backoff window (first ≥ 5 s,
 *    then growing; every caller of the key is held back, not just this one) and are retried when it
 *    ends, or after the server's `Retry-After` when longer; a 5xx `Retry-After` also closes the gate
 *    so other callers wait too; after `maxAttempts` the last error is thrown with `retryAfterMs` =
 *    the next delay;
 * 5. any other response (2xx, 3xx, 4xx) is returned as it is.
 * Events carry the key, status and delays only — never URLs' query strings, bodies or tokens.
 */
export async function sendResilient(deps: ResilienceDeps, options: ResilientRequestOptions): Promise<HttpResponse> {
  const policy = { ...DEFAULT_RESILIENCE, ...deps.policy };
  const { clock, gate, breaker } = deps;
  const { key, signal } = options;
  const maxAttempts = Math.max(1, Math.floor(options.maxAttempts ?? policy.maxAttempts));
  const timeoutMs = options.timeoutMs ?? policy.timeoutMs;
  const isRetryStatus = (status: number) => (options.retryStatuses ? options.retryStatuses.includes(status) : status >= 500 && status <= 599);
  const emitEvent = clockedEmitter(clock, deps.events);
  // Every event of a request names the gate key it ran under.
  const emit: Emit<CoreEventType> = (type, message, detail = {}) => emitEvent(type, message, { key, ...detail });

  for (let attempt = 1; ; attempt++) {
    if (signal?.aborted) throw abortError(signal.reason);
    // No await between these checks and the send: nobody can slip past a gate that just closed.
    gate.check(key);
    const permit = breaker.admit(key);
    emit("http.request", `${options.request.method} ${describeUrl(options.request.url)}`, { attempt, probe: permit.probe });

    const failure = await attemptOnce(deps, options, permit, timeoutMs, isRetryStatus, emit);
    if (!("error" in failure)) return failure;

    // The breaker's open window is the key's backoff, shared by every caller: when this failure
    // opened (or kept open) the breaker, the retry waits exactly for it (or for a longer Retry-After)
    // — one schedule, no second wait on top. Only a breaker that stays closed (a threshold above 1)
    // leaves the spacing to this request's own backoff.
    const breakerWaitMs = breaker.remainingMs(key);
    const retryAfterMs = Math.max(
      breakerWaitMs > 0 ? breakerWaitMs : backoffDelay(attempt, deps.random, policy.backoff),
      failure.serverWaitMs ?? 0,
      gate.remainingMs(key),
    );
    if (attempt >= maxAttempts) {
      emit("http.failed", `${failure.error.code} after ${attempt} attempt(s)`, { attempt, code: failure.error.code, retryAfterMs });
      throw new AuthShellError(failure.error.code, failure.error.message, {
        retryable: true,
        retryAfterMs,
        cause: failure.error.cause ?? failure.error,
      });
    }
    emit("http.retry", `${failure.error.code}; retry ${attempt} in ${Math.ceil(retryAfterMs / 1000)} s`, {
      attempt,
      code: failure.error.code,
      delayMs: retryAfterMs,
    });
    try {
      await clock.sleep(retryAfterMs, signal);
    } catch (reason) {
      throw abortError(reason);
    }
  }
}

async function attemptOnce(
  deps: ResilienceDeps,
  options: ResilientRequestOptions,
  permit: BreakerPermit,
  timeoutMs: number,
  isRetryStatus: (status: number) => boolean,
  emit: Emit<CoreEventType>,
): Promise<HttpResponse | AttemptFailure> {
  const { clock, gate, breaker } = deps;
  const { key } = options;
  const retryAfterPolicy = { ...DEFAULT_RETRY_AFTER, ...deps.policy?.retryAfter };
  let response: HttpResponse;
  try {
    response = await withTimeout(clock, timeoutMs, (signal) => deps.http.send({ ...options.request, signal }), options.signal);
  } catch (error) {
    if (options.signal?.aborted) {
      breaker.release(permit);
      throw abortError(options.signal.reason);
    }
    breaker.recordFailure(key, permit);
    const shellError =
      error instanceof AuthShellError && error.code === "timeout"
        ? error
        : new AuthShellError("network_error", "The request could not be sent (network error)", { retryable: true, cause: error });
    return { error: shellError };
  }

  if (response.status === 429) {
    // The endpoint is alive; it wants us to wait. The gate, not the breaker, enforces that.
    breaker.recordSuccess(key);
    const waitMs = parseRetryAfter(response.headers.get("retry-after"), clock.now(), retryAfterPolicy);
    await gate.close(key, waitMs);
    emit("http.throttled", `429 from ${key}; paused for ${Math.ceil(waitMs / 1000)} s`, { retryAfterMs: waitMs });
    throw new AuthShellError("throttled", `Throttled by ${key} (429); retry in ${Math.ceil(waitMs / 1000)} s`, {
      retryable: true,
      retryAfterMs: waitMs,
    });
  }
  if (isRetryStatus(response.status)) {
    breaker.recordFailure(key, permit);
    const serverWaitMs = retryAfterFromHeader(response.headers.get("retry-after"), clock.now(), retryAfterPolicy);
    if (serverWaitMs !== undefined) await gate.close(key, serverWaitMs);
    const error = new AuthShellError("idp_unavailable", `${key} answered ${response.status}`, { retryable: true });
    return serverWaitMs === undefined ? { error } : { error, serverWaitMs };
  }
  breaker.recordSuccess(key);
  return response;
}

/** Origin and path only: query strings may carry codes or hints. */
function describeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return "(invalid URL)";
  }
}
