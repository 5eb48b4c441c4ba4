/**
 * `exposeToPages`: the service-worker end of the page ↔ relay ↔ worker channel. The relay content
 * script opens a chrome.runtime Port named NAA_PORT_NAME; each relay message is validated, authorised
 * from the Port's browser-filled sender against the grants (naa-handler), and answered on the Port.
 */
import { AuthShellError } from "../../shared/errors.js";
import { NAA_PORT_NAME, parseRelayMessage, type RelayResponse } from "../../shared/protocol/naa-channel.js";
import { clockedEmitter } from "../../shared/events.js";
import type { ExposeToPagesOptions } from "./extension-broker-types.js";
import { handleNaaRequest, type NaaHandlerDeps } from "./naa-handler.js";

export function servePages(options: ExposeToPagesOptions, deps: Pick<NaaHandlerDeps, "broker" | "onToken" | "events" | "clock">): void {
  const grants = options.grants;
  const naaDeps: NaaHandlerDeps = {
    extensionId: chrome.runtime.id,
    grants: typeof grants === "function" ? async () => [...(await grants())] : async () => [...grants],
    ...deps,
  };
  const emit = clockedEmitter(deps.clock, deps.events);
  chrome.runtime.onConnect.addListener((port) => {
    if (port.name !== NAA_PORT_NAME) return; // Another Port of the author's own: not ours to close.
    if (!port.sender) {
      port.disconnect();
      return;
    }
    const sender = port.sender;
    let open = true;
    port.onDisconnect.addListener(() => (open = false));
    port.onMessage.addListener((message: unknown) => {
      const relay = parseRelayMessage(message);
      if (relay instanceof AuthShellError) {
        emit("naa.dropped", `Dropped a malformed relay message: ${relay.message}`);
        return;
      }
      void handleNaaRequest(relay.request, sender, naaDeps, { userActivated: relay.userActivated === true })
        .then((answer) => {
          if (!answer || !open) return;
          const out: RelayResponse = { kind: "naa-response", requestId: answer.requestId, response: answer.response };
          port.postMessage(out);
        })
        .catch((error: unknown) =>
          emit("naa.error", `A page request failed unanswered: ${AuthShellError.from(error).code}`),
        );
    });
  });
}
