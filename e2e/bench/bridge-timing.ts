/**
 * Times cached-token round trips page → bridge → relay → worker → page, measured inside the page
 * (performance.now around each request), one request at a time. Shared by the extension and
 * activity benches, so their round-trip rows are the same measurement. Throws if any ask was answered
 * with an error (a budget or a wait): the numbers would time refusals, not tokens.
 */
import type { Page } from "@playwright/test";

export function timeCachedRoundTrips(page: Page, clientId: string, n: number): Promise<number[]> {
  return page.evaluate(
    async ({ n, clientId }) => {
      const bridge = (window as unknown as { nestedAppAuthBridge: { postMessage(m: string): void; addEventListener(e: string, cb: (r: string) => void): void } }).nestedAppAuthBridge;
      const waiting = new Map<string, () => void>();
      let refused: string | undefined;
      bridge.addEventListener("message", (r) => {
        const reply = JSON.parse(r) as { requestId: string; success?: boolean; error?: { status?: string; code?: string } };
        if (reply.success === false) refused ??= `${reply.error?.status ?? "?"} ${reply.error?.code ?? ""}`;
        waiting.get(reply.requestId)?.();
      });
      const times: number[] = [];
      for (let i = 0; i < n; i++) {
        const requestId = crypto.randomUUID();
        const t0 = performance.now();
        await new Promise<void>((resolve) => {
          waiting.set(requestId, resolve);
          bridge.postMessage(JSON.stringify({ messageType: "NestedAppAuthRequest", method: "GetToken", requestId, tokenParams: { clientId, scope: "User.Read openid profile offline_access", correlationId: requestId } }));
        });
        times.push(performance.now() - t0);
        waiting.delete(requestId);
      }
      if (refused) throw new Error(`a cached-token ask was refused (${refused}): these round trips would time errors`);
      return times;
    },
    { n, clientId },
  );
}
