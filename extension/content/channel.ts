/**
 * Constants shared by the relay and the service worker's Port handler. The page ↔ relay envelope is
 * shared/protocol/page-channel.ts (hand-written guards, so the content scripts stay tiny).
 */
/** Name of the chrome.runtime Port the relay opens to the service worker. */
export const NAA_PORT_NAME = "naa";

/** Service worker → relay over the Port: the NAA response JSON for one request. */
export interface RelayResponse {
  kind: "naa-response";
  requestId: string;
  response: string;
}

export const NAA_METHODS = ["GetInitContext", "GetToken", "GetTokenPopup"] as const;
/** Longest requestId the relay accepts (MSAL uses GUIDs; the codec allows 256). */
export const MAX_REQUEST_ID_CHARS = 256;
/** How often the relay sends a request whose Port died with it in flight (the worker was killed). */
export const MAX_SEND_ATTEMPTS = 2;
