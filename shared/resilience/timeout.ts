import { AuthShellError } from "../errors.js";
import type { Clock } from "../ports.js";

export const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * Runs `operation` with an AbortSignal that fires after `timeoutMs` on `clock` (or when `parent`
 * aborts). On timeout the operation is aborted and a retryable `timeout` error is thrown, even if the
 * operation ignores its signal. A parent abort rethrows the parent's reason when it is an
 * AuthShellError, else a non-retryable `network_error` ("aborted").
 */
export async function withTimeout<T>(
  clock: Clock,
  timeoutMs: number,
  operation: (signal: AbortSignal) => Promise<T>,
  parent?: AbortSignal,
): Promise<T> {
  if (parent?.aborted) throw abortError(parent.reason);
  const controller = new AbortController();
  const timer = new AbortController();
  const timeoutError = new AuthShellError("timeout", `No response within ${Math.ceil(timeoutMs / 1000)} s`, { retryable: true });
  const onParentAbort = () => controller.abort(abortError(parent?.reason));
  parent?.addEventListener("abort", onParentAbort, { once: true });

  const expiry = clock.sleep(timeoutMs, timer.signal).then(
    () => {
      controller.abort(timeoutError);
      throw timeoutError;
    },
    () => new Promise<never>(() => undefined), // cancelled timer: never settles
  );
  const aborted = new Promise<never>((_, reject) => {
    controller.signal.addEventListener("abort", () => reject(controller.signal.reason), { once: true });
  });
  try {
    return await Promise.race([operation(controller.signal), expiry, aborted]);
  } catch (error) {
    if (controller.signal.aborted) throw controller.signal.reason;
    throw error;
  } finally {
    timer.abort();
    parent?.removeEventListener("abort", onParentAbort);
  }
}

/** The error a caller-initiated abort turns into. */
export function abortError(reason: unknown): AuthShellError {
  if (reason instanceof AuthShellError) return reason;
  return new AuthShellError("network_error", "Request aborted", { retryable: false, cause: reason });
}
