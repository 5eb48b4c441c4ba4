/**
 * Times cached-token round trips page → bridge → relay → worker → page, measured inside the page
 * (performance.now around each request), one request at a time. Shared by the extension and
 * activity benches, so their round-trip rows are the same measurement.
 */
import type { Page } from "@playwright/test";

export function timeCachedRoundTrips(page: Page, clientId: string, n: number): Promise<number[]> {
  return page.evaluate(
    async ({ n, clientId }) => {
      const bridge = (window as unknown as { nestedAppAuthBridge: { postMessage(m: string): void; addEventListener(e: string, cb: (r: string) => void): void } }).nestedAppAuthBridge;
      const waiting = new Map<string, () => void>();
      bridge.addEventListener("message", (r) => waiting.get((JSON.parse(r) as { requestId: string }).requestId)?.());
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
      return times;
    },
    { n, clientId },
  );
}
