import type { Clock } from "../../../shared/ports.js";

/** How often the shell looks at `popup.closed` (MSAL 5 itself waits for the redirect bridge only). */
const POPUP_POLL_MS = 500;
/**
 * After the window closed, how long a sign-in may still be finishing: the redirect page posts the
 * response, then closes itself, and MSAL's first token request follows the message.
 */
const POPUP_CLOSE_GRACE_MS = 1_500;

/** A `window`-like parent whose `open()` reports the sign-in window it opened. */
export function capturingParent(target: Window, onOpen: (popup: Window | null) => void): Window {
  return new Proxy(target, {
    get(obj, prop) {
      if (prop === "open") {
        return (...args: Parameters<Window["open"]>) => {
          const popup = obj.open(...args);
          onOpen(popup);
          return popup;
        };
      }
      const value = Reflect.get(obj, prop, obj) as unknown;
      return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(obj) : value;
    },
  });
}

/**
 * Resolves `true` once `popup` has been closed without the sign-in having moved on (no new token
 * request within the grace period), `false` if `signal` aborts first (the sign-in settled).
 * MSAL 5 does not notice a closed popup: it waits for the redirect bridge until its 60 s timeout.
 */
export async function closedByUser(
  popup: { readonly closed: boolean },
  clock: Clock,
  progressed: () => boolean,
  signal: AbortSignal,
): Promise<boolean> {
  try {
    while (!popup.closed) await clock.sleep(POPUP_POLL_MS, signal);
    await clock.sleep(POPUP_CLOSE_GRACE_MS, signal);
  } catch {
    return false;
  }
  return !signal.aborted && !progressed();
}
