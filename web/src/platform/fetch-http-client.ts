import type { HttpClient, HttpResponse } from "../../../shared/ports";

/** Adapts a fetch function to the HttpClient port. Network failures reject; HTTP errors resolve. */
export function createFetchHttpClient(fetchFn: typeof fetch = (...args) => globalThis.fetch(...args)): HttpClient {
  return {
    async send(request): Promise<HttpResponse> {
      const init: RequestInit = { method: request.method };
      if (request.headers) init.headers = request.headers;
      if (request.body !== undefined) init.body = request.body;
      if (request.signal) init.signal = request.signal;
      const response = await fetchFn(request.url, init);
      return {
        status: response.status,
        headers: { get: (name) => response.headers.get(name) },
        text: () => response.text(),
      };
    },
  };
}
