/**
 * MAIN-world content script, injected at document_start into granted origins (on Firefox, into every
 * port of a granted host). Once the relay says this origin is granted (bridge-handshake.ts), defines
 * `window.nestedAppAuthBridge`, the Nested App Auth bridge msal-browser's nestable client speaks
 * (docs/architecture.md, "The bridge"), and carries its JSON strings to and from the ISOLATED-world
 * relay.
 */
import { BRIDGE_READY_EVENT, isRelayToPageMessage, PAGE_CHANNEL, type PageToRelayMessage } from "../../shared/protocol/naa-channel.js";
import { NAA_MAX_REQUEST_CHARS, NAA_RESPONSE_TYPE, type NaaResponse } from "../../shared/protocol/naa-wire.js";
import { askRelay } from "./bridge-handshake.js";

type BridgeListener = (response: string) => void;

(() => {
  // A sandboxed frame (opaque origin: self.origin is "null", location.origin is not) has no rights —
  // the worker refuses it by sender.origin —
  // and its answers could not be posted back to it: with a bridge there, its MSAL waited for ever.
  // Without one, MSAL falls back to its standard flows.
  if ("nestedAppAuthBridge" in window || self.origin === "null") return;
  // Read now, before any page script could replace crypto: the nonce must stay unguessable. The
  // Random port is not used here: this content script must stay a tiny, import-free file.
  // eslint-disable-next-line no-restricted-properties -- the platform's own, on purpose (see above)
  askRelay(window, crypto.randomUUID(), appear);
})();

function appear(): void {
  if ("nestedAppAuthBridge" in window) return; // Granted late: the page may have defined its own meanwhile.
  const listeners = new Set<BridgeListener>();
  const origin = location.origin;

  function deliver(response: string): void {
    for (const listener of [...listeners]) {
      try {
        listener(response);
      } catch {
        // A throwing listener must not stop the others.
      }
    }
  }

  window.addEventListener("message", (event: MessageEvent) => {
    if (event.source !== window || !isRelayToPageMessage(event.data)) return;
    deliver(event.data.response);
  });

  /**
   * An oversized request gets an error answer right here: msal-browser's BridgeProxy has no timeout,
   * so a request dropped without one would leave the app waiting for ever.
   */
  function refuseOversized(message: string): void {
    const requestId = /"requestId"\s*:\s*"([^"\\]{1,256})"/.exec(message.slice(0, 4096))?.[1];
    if (!requestId) return; // Nothing the page could match an answer to.
    const answer: NaaResponse = {
      messageType: NAA_RESPONSE_TYPE,
      requestId,
      success: false,
      error: {
        // NaaStatus.PersistentError as its literal (NaaResponse types it): the import would bundle the whole map.
        status: "PERSISTENT_ERROR",
        code: "invalid_request",
        description: `The request is larger than the ${NAA_MAX_REQUEST_CHARS / 1024} KB the extension accepts`,
      },
    };
    setTimeout(() => deliver(JSON.stringify(answer)), 0);
  }

  const bridge = Object.freeze({
    postMessage(message: string): void {
      if (typeof message !== "string") return;
      if (message.length > NAA_MAX_REQUEST_CHARS) return refuseOversized(message);
      const envelope: PageToRelayMessage = { channel: PAGE_CHANNEL, type: "request", request: message };
      window.postMessage(envelope, origin);
    },
    addEventListener(eventName: string, callback: BridgeListener): void {
      if (eventName === "message" && typeof callback === "function") listeners.add(callback);
    },
    removeEventListener(eventName: string, callback: BridgeListener): void {
      if (eventName === "message") listeners.delete(callback);
    },
  });
  Object.defineProperty(window, "nestedAppAuthBridge", { value: bridge, writable: false, configurable: false });
  // A page that already looked for the bridge (it loaded before the worker registered or injected
  // us) learns that it is here now; at document_start nobody listens yet, which costs nothing.
  window.dispatchEvent(new Event(BRIDGE_READY_EVENT));
}
