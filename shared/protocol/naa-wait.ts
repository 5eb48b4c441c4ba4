/**
 * The retry wait across the NAA bridge, as data. The worker answers a throttled or backed-off request
 * with a `BridgeError` that carries the wait in `properties.retryAfterMs`, but the installed
 * @azure/msal-browser (v5, `naa/mapping/NestedAppAuthAdapter` → `webBrokerBridge/WebBrokerBridgeErrorMap`)
 * keeps only the error's `code` and `description` when it turns a BridgeError into the `ServerError`
 * an app sees: `properties` and `subError` are dropped. So the wait also travels in the description,
 * in one encoding this module owns, encoded by the worker (naa-status.ts) and decoded by the shell
 * (web/shell/internal/msal-errors.ts):
 *
 *     <sentence> (retry after <seconds> s) [retryAfterMs=<milliseconds>]
 *
 * The part in parentheses is for people reading the error of a plain MSAL app; the bracketed trailer is
 * the data. Decoding reads only the trailer, never the sentence, and strips exactly what encoding added,
 * so the app's message is the worker's sentence. naa-msal-compat.test.ts round-trips it through the
 * installed MSAL's own BridgeProxy and error mapping.
 */

const TRAILER_START = " [retryAfterMs=";
const TRAILER_END = "]";

const humanWait = (retryAfterMs: number) => ` (retry after ${Math.ceil(retryAfterMs / 1000)} s)`;

/** The description with the wait encoded after the sentence. */
export function encodeWait(sentence: string, retryAfterMs: number): string {
  const ms = Math.max(0, Math.round(retryAfterMs));
  return `${sentence}${humanWait(ms)}${TRAILER_START}${ms}${TRAILER_END}`;
}

/** The sentence and the wait of a description `encodeWait` wrote; any other description is all sentence. */
export function decodeWait(description: string): { sentence: string; retryAfterMs?: number } {
  const start = description.lastIndexOf(TRAILER_START);
  if (start < 0 || !description.endsWith(TRAILER_END)) return { sentence: description };
  const digits = description.slice(start + TRAILER_START.length, -TRAILER_END.length);
  const retryAfterMs = Number(digits);
  if (!Number.isSafeInteger(retryAfterMs) || retryAfterMs < 0 || String(retryAfterMs) !== digits) return { sentence: description };
  const head = description.slice(0, start);
  const human = humanWait(retryAfterMs);
  return { sentence: head.endsWith(human) ? head.slice(0, -human.length) : head, retryAfterMs };
}
