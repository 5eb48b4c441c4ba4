/**
 * ISOLATED-world content script: tells the MAIN-world bridge whether it may appear (at once where
 * match patterns carry a port; on Firefox only after the worker confirmed this frame's origin is
 * granted — on an ungranted port of a granted host it stays silent: no bridge, no listener).
 * Then accepts bridge requests only from this very window on the private channel, drops oversized
 * or malformed ones, forwards a rebuilt request over a runtime Port to the service worker and posts
 * the response back to the page. Rights are decided by the worker from the Port's browser-filled
 * sender, never from anything in the message.
 */
import {
  isPageToRelayMessage,
  isRelayGrantAnswer,
  isRelayResponse,
  NAA_PORT_NAME,
  PAGE_CHANNEL,
  type RelayHello,
  type RelayMessage,
  type RelayToPageMessage,
} from "../../shared/protocol/naa-channel.js";
import { NAA_MAX_REQUEST_ID_CHARS, NAA_MAX_SEND_ATTEMPTS, NAA_REQUEST_TYPE, NAA_RESPONSE_TYPE, type NaaResponse } from "../../shared/protocol/naa-wire.js";
import { browser, onFirefox } from "../platform/browser-api.js";
import { answerBridge } from "./bridge-handshake.js";
import { RELAY_MARK } from "./relay-mark.js";

/** A request sent to the worker and not answered yet: the message to send again, if ever. */
type Pending = { message: RelayMessage; attempts: number; popup: boolean };

(() => {
  if (self.origin === "null") return; // No bridge in an opaque-origin frame (see naa-bridge.main.ts).
  // Once per frame: the worker also injects the relay into tabs that loaded before it registered
  // the content scripts (adopt-open-tabs.ts), and two relays would forward every request twice.
  // A plain property will do: this ISOLATED-world global is shared with our own scripts only.
  if (RELAY_MARK in globalThis) return;
  (globalThis as Record<string, unknown>)[RELAY_MARK] = true;
  const pending = new Map<string, Pending>();
  let port: chrome.runtime.Port | undefined;
  // Chromium's match patterns carry the port: a script registered for an origin runs only there, so
  // being here means granted. Firefox's are per host (grant-rules.ts matchPatternFor): ask the worker.
  const grantedNow = !onFirefox();
  const bridge = answerBridge(window, location.origin, grantedNow);
  let granted = grantedNow;
  let hellos = 0;

  function toPage(response: string): void {
    const envelope: RelayToPageMessage = { channel: PAGE_CHANNEL, type: "response", response };
    window.postMessage(envelope, location.origin);
  }

  function fail(requestId: string, description: string): void {
    pending.delete(requestId);
    const response: NaaResponse = {
      messageType: NAA_RESPONSE_TYPE,
      requestId,
      success: false,
      // NaaStatus.TransientError as its literal (NaaResponse types it): the import would bundle the whole map.
      error: { status: "TRANSIENT_ERROR", code: "network_error", description },
    };
    toPage(JSON.stringify(response));
  }

  function onResponse(message: unknown): void {
    if (isRelayGrantAnswer(message)) return onGrantAnswer(message.granted);
    if (!isRelayResponse(message) || !pending.delete(message.requestId)) return;
    toPage(message.response);
  }

  /** Posts to the worker over the Port, opened at first use; false when the extension is unavailable. */
  function post(message: RelayMessage | RelayHello): boolean {
    try {
      (port ??= connect()).postMessage(message);
      return true;
    } catch {
      return false;
    }
  }

  /** Asks the worker whether this frame's origin is granted (it decides from the Port's sender). */
  function hello(): void {
    hellos += 1;
    post({ kind: "naa-hello" }); // Unavailable: no bridge for this page load.
  }

  function onGrantAnswer(yes: boolean): void {
    if (granted) return;
    if (!yes) {
      // Not granted: leave nothing behind, not even an open Port.
      port?.disconnect();
      port = undefined;
      return;
    }
    granted = true;
    listen();
    bridge.grant();
  }

  function connect(): chrome.runtime.Port {
    const p = browser.runtime.connect({ name: NAA_PORT_NAME });
    p.onMessage.addListener(onResponse);
    p.onDisconnect.addListener(() => {
      port = undefined;
      // The worker went away before it answered the hello: ask once more.
      if (!granted) {
        if (hellos < 2) hello();
        return;
      }
      // The worker died (or was restarted) with requests in flight: send silent ones again once. A
      // popup request is never resent: its window may still be open, and a second one would follow.
      for (const [requestId, entry] of pending) {
        if (entry.popup) fail(requestId, "The extension restarted during sign-in; try again");
        else send(requestId, entry);
      }
    });
    return p;
  }

  /** Sends a pending request (again, after a worker restart), or answers it with an error. */
  function send(requestId: string, entry: Pending): void {
    if (entry.attempts >= NAA_MAX_SEND_ATTEMPTS) return fail(requestId, "The extension did not answer");
    entry.attempts += 1;
    pending.set(requestId, entry);
    if (!post(entry.message)) fail(requestId, "The extension is unavailable");
  }

  function listen(): void {
    window.addEventListener("message", onPageMessage);
  }

  function onPageMessage(event: MessageEvent): void {
    // Only this very window (not a frame, not another window) on the private channel; the guard
    // also drops requests over 64 KB.
    if (event.source !== window || !isPageToRelayMessage(event.data)) return;
    const payload = event.data.request;
    // JSON.parse gives null, a primitive, an array or an object: only an object has a messageType.
    let parsed: { messageType?: unknown; requestId?: unknown; method?: unknown } | null;
    try {
      parsed = JSON.parse(payload);
    } catch {
      return;
    }
    if (parsed?.messageType !== NAA_REQUEST_TYPE) return;
    const { requestId, method } = parsed;
    if (typeof requestId !== "string" || !requestId || requestId.length > NAA_MAX_REQUEST_ID_CHARS) return;
    if (pending.has(requestId)) return;
    // An unknown method (a newer MSAL's, or junk) still goes on: the worker validates it and answers
    // with an error, where a drop here left the caller waiting for ever (BridgeProxy has no timeout).
    const popup = method === "GetTokenPopup";
    // Read here, in the ISOLATED world: page script can override its own navigator, not this one.
    const userActivated = popup && navigator.userActivation?.isActive === true;
    // Rebuilt: the worker gets a fresh primitive string, never an object the page handed over.
    const message: RelayMessage = { kind: "naa", request: String(payload), userActivated };
    send(requestId, { message, attempts: 0, popup });
  }

  if (granted) listen();
  else hello();
})();
