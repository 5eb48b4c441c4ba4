/**
 * The page ↔ relay ↔ worker channel, both hops in one module, request and response side by side.
 * Hand-written guards and no dependencies: the content scripts that import it must stay tiny
 * single-file bundles. Payloads are the NAA JSON strings of naa-wire.ts, passed through untouched
 * (only the worker parses them, with naa-codec.ts).
 *
 *   page (MAIN world bridge) --PageToRelayMessage--> relay (ISOLATED world) --RelayMessage--> worker
 *   page <--RelayToPageMessage-- relay <--RelayResponse-- worker   (over a Port named NAA_PORT_NAME)
 */
import { AuthShellError } from "../errors.js";
import { NAA_MAX_REQUEST_CHARS } from "./naa-wire.js";

/** The channel name of the page's `postMessage` traffic between the bridge and the relay. */
export const PAGE_CHANNEL = "resilient-token-broker/naa";
/** Name of the extension runtime Port the relay opens to the service worker. */
export const NAA_PORT_NAME = "naa";
/**
 * The event (a plain `Event` on `window`) the MAIN-world bridge dispatches once it has defined
 * the page global `nestedAppAuthBridge`. A page that looked for the bridge at load and found none (a tab
 * restored at browser start-up, before the worker re-registered the content scripts; the worker then
 * injects the bridge into it) listens for it to switch to the bridge without a reload.
 */
export const BRIDGE_READY_EVENT = "nestedappauthbridge:ready";
/**
 * The bridge ↔ relay handshake on `window` (extension/content/bridge-handshake.ts), all dispatched
 * synchronously at document_start, before any page script can listen:
 * - ASK: the cancelable `CustomEvent` (detail: a one-time nonce) the MAIN-world bridge dispatches
 *   before it defines anything. The relay cancels it when it already knows the origin is granted.
 * - HEARD: the relay's plain `Event` while it handles an ask: the bridge then waits for a
 *   RelayGrantMessage with its nonce (or nothing, on an origin that is not granted).
 * - RELAY_READY: the relay's plain `Event` when it starts, for a bridge that ran first and was not
 *   heard (Chrome injects MAIN-world scripts before ISOLATED ones): the bridge asks again.
 */
export const BRIDGE_ASK_EVENT = "resilient-token-broker/naa:ask";
export const BRIDGE_HEARD_EVENT = "resilient-token-broker/naa:heard";
export const RELAY_READY_EVENT = "resilient-token-broker/naa:relay-ready";

// --- hop 1: page ↔ relay (the page's postMessage, same window only) ---

export interface PageToRelayMessage {
  channel: typeof PAGE_CHANNEL;
  type: "request";
  request: string;
}

export interface RelayToPageMessage {
  channel: typeof PAGE_CHANNEL;
  type: "response";
  response: string;
}

/** Relay → bridge: the worker confirmed that this frame's origin is granted (answers the ask with `nonce`). */
export interface RelayGrantMessage {
  channel: typeof PAGE_CHANNEL;
  type: "granted";
  nonce: string;
}

// The guards read a field with `?.`: null, undefined and primitives have none, so one test refuses them
// all, in fewer bytes than typeof + null checks (the content scripts have byte budgets).
function isEnvelope(data: unknown): data is Record<string, unknown> {
  return (data as { channel?: unknown } | null)?.channel === PAGE_CHANNEL;
}

export function isPageToRelayMessage(data: unknown): data is PageToRelayMessage {
  return isEnvelope(data) && data.type === "request" && typeof data.request === "string" && data.request.length <= NAA_MAX_REQUEST_CHARS;
}

export function isRelayToPageMessage(data: unknown): data is RelayToPageMessage {
  return isEnvelope(data) && data.type === "response" && typeof data.response === "string";
}

export function isRelayGrantMessage(data: unknown): data is RelayGrantMessage {
  return isEnvelope(data) && data.type === "granted" && typeof data.nonce === "string";
}

// --- hop 2: relay ↔ worker (an extension runtime Port) ---

/** Relay → worker: one NAA request string, rebuilt by the relay. */
export interface RelayMessage {
  kind: "naa";
  request: string;
  /**
   * The page had transient user activation (a click in the last seconds) when the relay received the
   * request, read by the ISOLATED world from `navigator.userActivation`, which page script cannot
   * fake. It lets a person's click open the sign-in window during the loop cool-down.
   */
  userActivated?: boolean;
}

/** Relay → worker: "is my frame's origin granted?" (asked where match patterns cannot carry a port). */
export interface RelayHello {
  kind: "naa-hello";
}

/** Worker → relay: the answer to RelayHello, decided from the Port's browser-filled sender only. */
export interface RelayGrantAnswer {
  kind: "naa-granted";
  granted: boolean;
}

/** Worker → relay: the NAA response string for one request. */
export interface RelayResponse {
  kind: "naa-response";
  requestId: string;
  response: string;
}

/** Validates a message from the relay content script (the worker's side of hop 2). */
export function parseRelayMessage(input: unknown): RelayMessage | RelayHello | AuthShellError {
  const m = input as Partial<RelayMessage> | null;
  if (typeof m === "object" && m !== null && (m as { kind?: unknown }).kind === "naa-hello") return { kind: "naa-hello" };
  if (typeof m !== "object" || m === null || m.kind !== "naa") return new AuthShellError("invalid_request", "Malformed relay message at kind");
  if (typeof m.request !== "string" || m.request.length > NAA_MAX_REQUEST_CHARS) {
    return new AuthShellError("invalid_request", "Malformed relay message at request");
  }
  if (m.userActivated !== undefined && typeof m.userActivated !== "boolean") {
    return new AuthShellError("invalid_request", "Malformed relay message at userActivated");
  }
  return { kind: "naa", request: m.request, ...(m.userActivated ? { userActivated: true } : {}) };
}

export function isRelayGrantAnswer(input: unknown): input is RelayGrantAnswer {
  const m = input as Partial<RelayGrantAnswer> | null;
  return m?.kind === "naa-granted" && typeof m.granted === "boolean";
}

/** Validates a message from the worker (the relay's side of hop 2). */
export function isRelayResponse(input: unknown): input is RelayResponse {
  const m = input as Partial<RelayResponse> | null;
  return m?.kind === "naa-response" && typeof m.requestId === "string" && typeof m.response === "string";
}
