/**
 * The page postMessage envelope between the MAIN-world bridge script (the page's `nestedAppAuthBridge` global)
 * and the ISOLATED-world relay. Hand-written guards, no dependencies: the bridge script must stay
 * tiny. Payloads are the NAA JSON strings, passed through untouched (the service worker parses them).
 */
import { NAA_MAX_REQUEST_CHARS } from "./naa-wire.js";

export const PAGE_CHANNEL = "resilient-token-broker/naa";

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

function isEnvelope(data: unknown): data is Record<string, unknown> {
  return typeof data === "object" && data !== null && (data as { channel?: unknown }).channel === PAGE_CHANNEL;
}

export function isPageToRelayMessage(data: unknown): data is PageToRelayMessage {
  return (
    isEnvelope(data) &&
    data.type === "request" &&
    typeof data.request === "string" &&
    data.request.length <= NAA_MAX_REQUEST_CHARS
  );
}

export function isRelayToPageMessage(data: unknown): data is RelayToPageMessage {
  return isEnvelope(data) && data.type === "response" && typeof data.response === "string";
}
