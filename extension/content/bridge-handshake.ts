/**
 * The MAIN-world bridge asks the ISOLATED-world relay whether it may appear before it defines
 * `window.nestedAppAuthBridge`: no bridge on an origin that is not granted (no fingerprinting). Where
 * match patterns carry a port (Chrome), the relay runs only on granted origins and says yes at once,
 * synchronously, so the page's first script sees the bridge. Where they cannot (Firefox: registered
 * per host, so also injected on the host's other ports), the relay asks the worker first and answers
 * only a granted origin, later, with the ask's nonce; on any other port nothing ever appears.
 *
 * Either script may run first (Chrome injects the MAIN world's before the ISOLATED world's, Firefox
 * the other way round): an unheard ask is repeated when the relay announces itself. Every event is
 * dispatched at document_start, before any page script can listen, and the late answer carries a
 * nonce only the two scripts know, so a page can neither see the handshake nor forge the answer.
 */
import {
  BRIDGE_ASK_EVENT,
  BRIDGE_HEARD_EVENT,
  isRelayGrantMessage,
  PAGE_CHANNEL,
  RELAY_READY_EVENT,
  type RelayGrantMessage,
} from "../../shared/protocol/naa-channel.js";

/** The parts of `window` the handshake uses (a fake in unit tests). */
export type HandshakeWindow = Pick<Window, "addEventListener" | "removeEventListener" | "dispatchEvent" | "postMessage">;

type Answer = "granted" | "heard" | "unheard";

/** Dispatches the ask; what the relay said while it was being dispatched. */
function ask(win: HandshakeWindow, nonce: string): Answer {
  let heard = false;
  const onHeard = () => (heard = true);
  win.addEventListener(BRIDGE_HEARD_EVENT, onHeard);
  const cancelled = !win.dispatchEvent(new CustomEvent(BRIDGE_ASK_EVENT, { detail: nonce, cancelable: true }));
  win.removeEventListener(BRIDGE_HEARD_EVENT, onHeard);
  return cancelled ? "granted" : heard ? "heard" : "unheard";
}

/** Bridge side: `appear` runs now (granted and known), once the relay grants this nonce — or never. */
export function askRelay(win: HandshakeWindow, nonce: string, appear: () => void): void {
  const onMessage = (event: MessageEvent) => {
    if (event.source !== win || !isRelayGrantMessage(event.data) || event.data.nonce !== nonce) return;
    win.removeEventListener("message", onMessage);
    appear();
  };
  const onAnswer = (answer: Answer) => {
    if (answer === "granted") return appear();
    if (answer === "heard") win.addEventListener("message", onMessage);
  };
  const first = ask(win, nonce);
  if (first !== "unheard") return onAnswer(first);
  // The relay has not run yet: it announces itself at its start, still before any page script.
  const onRelayReady = () => {
    win.removeEventListener(RELAY_READY_EVENT, onRelayReady);
    onAnswer(ask(win, nonce));
  };
  win.addEventListener(RELAY_READY_EVENT, onRelayReady);
}

/** Relay side: answers the bridge's one ask; `grant()` once the worker confirmed the origin. */
export function answerBridge(win: HandshakeWindow, targetOrigin: string, grantedNow: boolean): { grant(): void } {
  let nonce: string | undefined;
  let granted = grantedNow;
  const onAsk = (event: Event) => {
    const detail: unknown = (event as CustomEvent<unknown>).detail;
    if (typeof detail !== "string") return;
    // Only the first ask: it is the bridge's, made before any page script could run.
    win.removeEventListener(BRIDGE_ASK_EVENT, onAsk);
    if (granted) return event.preventDefault(); // Known already: the bridge appears synchronously.
    nonce = detail;
    win.dispatchEvent(new Event(BRIDGE_HEARD_EVENT));
  };
  win.addEventListener(BRIDGE_ASK_EVENT, onAsk);
  win.dispatchEvent(new Event(RELAY_READY_EVENT));
  return {
    grant() {
      if (granted) return;
      granted = true;
      if (nonce === undefined) return; // Not asked yet: the ask will be answered at once.
      const message: RelayGrantMessage = { channel: PAGE_CHANNEL, type: "granted", nonce };
      win.postMessage(message, targetOrigin);
    },
  };
}
