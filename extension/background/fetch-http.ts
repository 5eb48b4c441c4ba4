import type { HttpClient, HttpRequest, HttpResponse } from "../../shared/ports.js";

/** HttpClient over the worker's fetch. Never follows credentials: the IdP sees only the request body. */
export function createFetchHttpClient(fetchImpl: typeof fetch = fetch): HttpClient {
  return {
    async send(request: HttpRequest): Promise<HttpResponse> {
      const init: RequestInit = { method: request.method, cache: "no-store", credentials: "omit" };
      if (request.headers) init.headers = request.headers;
      if (request.body !== undefined) init.body = request.body;
      if (request.signal) init.signal = request.signal;
      const response = await fetchImpl(request.url, init);
      return { status: response.status, headers: response.headers, text: () => response.text() };
    },
  };
}
