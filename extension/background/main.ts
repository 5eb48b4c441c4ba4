/**
 * The extension's service worker: the one token broker for every granted tab. Every listener is
 * registered synchronously at the top level, so a worker woken by a Port, a message or an alarm
 * handles the event that woke it; the broker itself is built lazily from stored configuration.
 */
import { parseRelayMessage } from "../../shared/protocol/broker-messages.js";
import { AuthShellError } from "../../shared/errors.js";
import { NAA_PORT_NAME, type RelayResponse } from "../content/channel.js";
import { BrokerHost } from "./broker-host.js";
import { listGrants, syncContentScripts } from "./grants.js";
import { handleNaaRequest, type NaaHandlerDeps } from "./naa-handler.js";
import { REFRESH_ALARM, onTokenActivity, runRefreshAlarm, scheduleRefresh } from "./refresh-alarm.js";
import { handleUiMessage, isExtensionPage } from "./ui-handler.js";

const host = new BrokerHost();

const naaDeps: NaaHandlerDeps = {
  extensionId: chrome.runtime.id,
  grants: listGrants,
  broker: () => host.get(),
  events: host.sink,
  onToken: (broker) => void onTokenActivity(broker).catch(() => undefined),
};

chrome.runtime.onConnect.addListener((port) => {
  if (port.name !== NAA_PORT_NAME || !port.sender) {
    port.disconnect();
    return;
  }
  const sender = port.sender;
  let open = true;
  port.onDisconnect.addListener(() => (open = false));
  port.onMessage.addListener((message: unknown) => {
    const relay = parseRelayMessage(message);
    if (relay instanceof AuthShellError) return;
    void handleNaaRequest(relay.request, sender, naaDeps)
      .then((answer) => {
        if (!answer || !open) return;
        const out: RelayResponse = { kind: "naa-response", requestId: answer.requestId, response: answer.response };
        port.postMessage(out);
      })
      .catch(() => undefined);
  });
});

chrome.runtime.onMessage.addListener((message: unknown, sender, sendResponse) => {
  if (!isExtensionPage(sender)) {
    sendResponse({ ok: false, error: new AuthShellError("not_granted", "Only the extension's own pages may send this").toPlain() });
    return false;
  }
  void handleUiMessage(message, host).then(sendResponse, () =>
    sendResponse({ ok: false, error: new AuthShellError("internal_error", "The broker failed").toPlain() }),
  );
  return true; // Answered asynchronously.
});

chrome.alarms.onAlarm.addListener((alarm) => {
  if (alarm.name !== REFRESH_ALARM) return;
  void host
    .get()
    .then(({ broker }) => runRefreshAlarm(broker, host.sink))
    .catch(() => undefined);
});

/** Dynamic content scripts vanish after a restart with --load-extension: re-register from grants. */
async function restore(reason: string): Promise<void> {
  await syncContentScripts().catch((error: unknown) =>
    host.sink.emit({ at: Date.now(), type: "grants.sync_failed", message: `Could not register the bridge: ${AuthShellError.from(error).message}` }),
  );
  try {
    const { broker } = await host.get();
    await scheduleRefresh(broker);
  } catch {
    // No usable configuration yet: nothing to refresh.
  }
  host.sink.emit({ at: Date.now(), type: "worker.start", message: `Broker ready (${reason})` });
}

chrome.runtime.onStartup.addListener(() => void restore("browser start"));
chrome.runtime.onInstalled.addListener(() => void restore("installed"));
void restore("worker start");
