import type { HttpClient, HttpResponse } from "../../../shared/ports.js";

/** The port's response plus the page's own Response, which authFetch hands back to the app unread. */
interface PageHttpResponse extends HttpResponse {
  raw: Response;
}

/**
 * The page's HttpClient over `fetch` (looked up at call time, so a page that replaces it later is
 * honoured). Unlike the shared adapter it keeps the Response, so `authFetch` can return the real one
 * (all headers, streaming body) instead of a copy.
 */
export function createPageHttpClient(): HttpClient {
  return {
    async send(request): Promise<PageHttpResponse> {
      const response = await globalThis.fetch(request.url, {
        method: request.method,
        ...(request.headers ? { headers: request.headers } : {}),
        ...(request.body !== undefined ? { body: request.body } : {}),
        ...(request.signal ? { signal: request.signal } : {}),
      });
      return { status: response.status, headers: response.headers, text: () => response.clone().text(), raw: response };
    },
  };
}
