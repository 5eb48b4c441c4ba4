/**
 * `exposeToPages`: the service-worker end of the page ↔ relay ↔ worker channel. The relay content
 * script opens a chrome.runtime Port named NAA_PORT_NAME; each relay message is validated, authorised
 * from the Port's browser-filled sender against the grants (naa-handler), and answered on the Port.
 */
import { AuthShellError } from "../../shared/errors.js";
import { NAA_PORT_NAME, parseRelayMessage, type RelayGrantAnswer, type RelayResponse } from "../../shared/protocol/naa-channel.js";
import type { EventSink } from "../../shared/ports.js";
import type { ExposeToPagesOptions } from "./extension-broker-types.js";
import { handleNaaRequest, isSenderGranted, type NaaHandlerDeps } from "./naa-handler.js";
import { browser } from "../platform/browser-api.js";

export function servePages(options: ExposeToPagesOptions, deps: Pick<NaaHandlerDeps, "broker" | "onToken" | "served"> & { events: EventSink }): void {
  const grants = options.grants;
  const naaDeps: NaaHandlerDeps = {
    extensionId: browser.runtime.id,
    grants: typeof grants === "function" ? async () => [...(await grants())] : async () => [...grants],
    ...deps,
  };
  browser.runtime.onConnect.addListener((port) => {
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
        deps.events.emit({ at: Date.now(), type: "naa.dropped", message: `Dropped a malformed relay message: ${relay.message}` });
        return;
      }
      if (relay.kind === "naa-hello") {
        void isSenderGranted(sender, naaDeps).then((granted) => {
          const out: RelayGrantAnswer = { kind: "naa-granted", granted };
          if (open) port.postMessage(out);
        });
        return;
      }
      void handleNaaRequest(relay.request, sender, naaDeps, { userActivated: relay.userActivated === true })
        .then((answer) => {
          if (!answer || !open) return;
          const out: RelayResponse = { kind: "naa-response", requestId: answer.requestId, response: answer.response };
          port.postMessage(out);
        })
        .catch((error: unknown) =>
          deps.events.emit({ at: Date.now(), type: "naa.error", message: `A page request failed unanswered: ${AuthShellError.from(error).code}` }),
        );
    });
  });
}
