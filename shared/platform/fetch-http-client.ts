import type { HttpClient, HttpResponse } from "../ports.js";

/** The part of `fetch` the adapter uses (shared/ has no DOM types; every platform's fetch fits). */
export type FetchLike = (
  url: string,
  init: { method: string; headers?: Record<string, string>; body?: string; signal?: AbortSignal; cache?: "no-store"; credentials?: "omit" },
) => Promise<{ status: number; headers: { get(name: string): string | null }; text(): Promise<string> }>;

export interface FetchHttpClientOptions {
  /**
   * The service worker's IdP requests: `credentials: "omit"` (the IdP sees only the request body,
   * never a cookie) and `cache: "no-store"`. Pages leave both at the browser's defaults, because a
   * page's resource calls (authFetch) may rely on its own same-origin cookies.
   */
  isolated?: boolean;
}

/**
 * The one HttpClient over a platform's `fetch`: network failures reject, HTTP errors resolve. The
 * fetch function is looked up at call time by default, so a test or a page script that replaces
 * `globalThis.fetch` later is honoured.
 */
export function createFetchHttpClient(fetchImpl?: FetchLike, options: FetchHttpClientOptions = {}): HttpClient {
  const doFetch: FetchLike = fetchImpl ?? ((url, init) => (globalThis as unknown as { fetch: FetchLike }).fetch(url, init));
  return {
    async send(request): Promise<HttpResponse> {
      const init: Parameters<FetchLike>[1] = { method: request.method };
      if (options.isolated) Object.assign(init, { cache: "no-store", credentials: "omit" });
      if (request.headers) init.headers = request.headers;
      if (request.body !== undefined) init.body = request.body;
      if (request.signal) init.signal = request.signal;
      const response = await doFetch(request.url, init);
      return { status: response.status, headers: { get: (name) => response.headers.get(name) }, text: () => response.text() };
    },
  };
}
