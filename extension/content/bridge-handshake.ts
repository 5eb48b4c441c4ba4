/**
 * The MAIN-world bridge asks the ISOLATED-world relay whether it may appear before it defines
 * `window.nestedAppAuthBridge`: no bridge on an origin that is not granted (no fingerprinting). Where
 * match patterns carry a port (Chrome), the relay runs only on granted origins and says yes at once,
 * synchronously, so the page's first script sees the bridge. Where they cannot (Firefox: registered
 * per host, so also injected on the host's other ports), the relay asks the worker first and answers
 * only a granted origin, later, with the ask's nonce; on any other port nothing ever appears.
 *
 * The ask is a cancelable event dispatched before any page script runs (nobody else sees it); the
 * late answer carries a nonce only the bridge and the relay know, so a page cannot summon the bridge
 * by forging it.
 */
import { BRIDGE_ASK_EVENT, isRelayGrantMessage, PAGE_CHANNEL, type RelayGrantMessage } from "../../shared/protocol/naa-channel.js";

/** The parts of `window` the handshake uses (a fake in unit tests). */
export type HandshakeWindow = Pick<Window, "addEventListener" | "removeEventListener" | "dispatchEvent" | "postMessage">;

/** Bridge side: `appear` runs now (granted and known) or once the relay grants this nonce — or never. */
export function askRelay(win: HandshakeWindow, nonce: string, appear: () => void): void {
  const ask = new CustomEvent(BRIDGE_ASK_EVENT, { detail: nonce, cancelable: true });
  if (!win.dispatchEvent(ask)) return appear();
  const onMessage = (event: MessageEvent) => {
    if (event.source !== win || !isRelayGrantMessage(event.data) || event.data.nonce !== nonce) return;
    win.removeEventListener("message", onMessage);
    appear();
  };
  win.addEventListener("message", onMessage);
}

/** Relay side: answers the bridge's one ask; `grant()` once the worker confirmed the origin. */
export function answerBridge(win: HandshakeWindow, targetOrigin: string, grantedNow: boolean): { grant(): void } {
  let nonce: string | undefined;
  let granted = grantedNow;
  const tell = () => {
    if (!granted || nonce === undefined) return;
    const message: RelayGrantMessage = { channel: PAGE_CHANNEL, type: "granted", nonce };
    win.postMessage(message, targetOrigin);
  };
  const onAsk = (event: Event) => {
    const detail: unknown = (event as CustomEvent<unknown>).detail;
    if (typeof detail !== "string") return;
    // Only the first ask: it is the bridge's, made before any page script could run.
    win.removeEventListener(BRIDGE_ASK_EVENT, onAsk);
    if (granted) event.preventDefault(); // Known already: the bridge appears synchronously.
    else nonce = detail;
  };
  win.addEventListener(BRIDGE_ASK_EVENT, onAsk);
  return {
    grant() {
      if (granted) return;
      granted = true;
      tell();
    },
  };
}
