/**
 * MAIN-world content script, injected at document_start into granted origins only. Defines
 * `window.nestedAppAuthBridge`, the Nested App Auth bridge msal-browser's nestable client speaks
 * (DESIGN §4), and carries its JSON strings to and from the ISOLATED-world relay.
 */
import { isRelayToPageMessage, PAGE_CHANNEL, type PageToRelayMessage } from "../../shared/protocol/naa-channel.js";
import { NAA_LIMITS } from "../../shared/protocol/naa-wire.js";

type BridgeListener = (response: string) => void;

(() => {
  if ("nestedAppAuthBridge" in window) return;
  const listeners = new Set<BridgeListener>();
  const origin = location.origin;

  window.addEventListener("message", (event: MessageEvent) => {
    if (event.source !== window || !isRelayToPageMessage(event.data)) return;
    const response = event.data.response;
    for (const listener of [...listeners]) {
      try {
        listener(response);
      } catch {
        // A throwing listener must not stop the others.
      }
    }
  });

  const bridge = Object.freeze({
    postMessage(message: string): void {
      if (typeof message !== "string" || message.length > NAA_LIMITS.maxRequestChars) return;
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
})();
