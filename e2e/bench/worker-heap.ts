/**
 * The extension service worker's JavaScript heap, read over CDP (HeapProfiler.collectGarbage, then
 * Runtime.getHeapUsage) on the worker's own target. Playwright opens CDP sessions on pages only, so
 * this attaches from a page's session to the worker target (non-flattened) and talks to it through
 * Target.sendMessageToTarget.
 */
import type { BrowserContext, CDPSession } from "@playwright/test";

export interface HeapUsage {
  /** Bytes in use on the V8 heap after a full garbage collection. */
  usedSize: number;
  totalSize: number;
}

async function attachToWorker(cdp: CDPSession, urlPrefix: string): Promise<(method: string) => Promise<Record<string, unknown>>> {
  const { targetInfos } = (await cdp.send("Target.getTargets")) as { targetInfos: Array<{ targetId: string; type: string; url: string }> };
  const worker = targetInfos.find((t) => t.type === "service_worker" && t.url.startsWith(urlPrefix));
  if (!worker) throw new Error(`no service worker target under ${urlPrefix}`);
  const { sessionId } = (await cdp.send("Target.attachToTarget", { targetId: worker.targetId, flatten: false })) as { sessionId: string };
  const waiting = new Map<number, (reply: { result?: Record<string, unknown>; error?: { message: string } }) => void>();
  cdp.on("Target.receivedMessageFromTarget", (event: { sessionId: string; message: string }) => {
    if (event.sessionId !== sessionId) return;
    const reply = JSON.parse(event.message) as { id?: number; result?: Record<string, unknown>; error?: { message: string } };
    if (reply.id !== undefined) waiting.get(reply.id)?.(reply);
  });
  let next = 0;
  return (method) =>
    new Promise((resolve, reject) => {
      const id = ++next;
      waiting.set(id, (reply) => (reply.error ? reject(new Error(`${method}: ${reply.error.message}`)) : resolve(reply.result ?? {})));
      cdp.send("Target.sendMessageToTarget", { sessionId, message: JSON.stringify({ id, method }) }).catch(reject);
    });
}

/** Collects garbage in the worker, then reads its heap usage. */
export async function workerHeap(context: BrowserContext, urlPrefix: string): Promise<HeapUsage> {
  const page = context.pages()[0] ?? (await context.newPage());
  const cdp = await context.newCDPSession(page);
  try {
    const send = await attachToWorker(cdp, urlPrefix);
    await send("HeapProfiler.collectGarbage");
    const usage = await send("Runtime.getHeapUsage");
    return { usedSize: Number(usage.usedSize), totalSize: Number(usage.totalSize) };
  } finally {
    await cdp.detach();
  }
}
