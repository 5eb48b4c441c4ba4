import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from "@azure/msal-browser";
import { AuthShellError } from "../../../shared/errors.js";
import type { HttpResponse } from "../../../shared/ports.js";
import { sendResilient, type ResilienceDeps } from "../../../shared/resilience/resilient-request.js";
import { idpGateKeyForUrl } from "../../../shared/resilience/gate-keys.js";

/** Headers MSAL reads from IdP responses (throttling, telemetry, parsing). */
const FORWARDED_HEADERS = ["retry-after", "content-type", "x-ms-request-id", "x-ms-clitelem", "x-ms-httpver", "www-authenticate"];

export interface ResilientNetworkClient extends INetworkModule {
  /** The last resilience failure (throttled, idp_unavailable, timeout…), which MSAL wraps opaquely. */
  takeLastFailure(): AuthShellError | undefined;
  /** POST requests sent so far (token redemptions): tells a finishing sign-in from an abandoned one. */
  postCount(): number;
}

/**
 * MSAL's network module routed through the shared resilience layer: a Retry-After gate per IdP
 * endpoint (persisted, so every tab of the origin honours it), jittered backoff with the first retry
 * ≥ 5 s, timeouts and a circuit breaker. Used in standalone mode only — in nested mode MSAL makes no
 * network requests of its own.
 */
export function createResilientNetworkClient(deps: ResilienceDeps, maxAttempts = 2): ResilientNetworkClient {
  let lastFailure: AuthShellError | undefined;
  let posts = 0;

  async function send<T>(method: "GET" | "POST", url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
    let response: HttpResponse;
    if (method === "POST") posts++;
    try {
      response = await sendResilient(deps, {
        key: idpGateKeyForUrl(url),
        request: {
          url,
          method,
          ...(options?.headers ? { headers: options.headers } : {}),
          ...(options?.body !== undefined ? { body: options.body } : {}),
        },
        maxAttempts,
      });
    } catch (error) {
      lastFailure = AuthShellError.from(error, "network_error");
      throw lastFailure;
    }
    const headers: Record<string, string> = {};
    for (const name of FORWARDED_HEADERS) {
      const value = response.headers.get(name);
      if (value !== null) headers[name] = value;
    }
    const text = await response.text();
    let body: T;
    try {
      body = JSON.parse(text) as T;
    } catch (cause) {
      lastFailure = new AuthShellError("invalid_response", `The identity provider answered ${response.status} with a body that is not JSON`, { cause });
      throw lastFailure;
    }
    return { status: response.status, headers, body };
  }

  return {
    sendGetRequestAsync: <T>(url: string, options?: NetworkRequestOptions) => send<T>("GET", url, options),
    sendPostRequestAsync: <T>(url: string, options?: NetworkRequestOptions) => send<T>("POST", url, options),
    postCount: () => posts,
    takeLastFailure() {
      const failure = lastFailure;
      lastFailure = undefined;
      return failure;
    },
  };
}
