import { callBroker } from "../broker-client.js";
import { AccountList } from "../components/account-list.js";
import { GrantsPanel } from "../components/grants-panel.js";
import { CachePanel, EventLogPanel, ThrottlePanel } from "../components/status-panels.js";
import { usePoll } from "../components/use-poll.js";

export function PopupApp() {
  const status = usePoll(() => callBroker({ kind: "getStatus" }));
  const events = usePoll(() => callBroker({ kind: "getEvents", limit: 50 }));
  const reload = () => (status.reload(), events.reload());
  return (
    <main>
      <div className="row">
        <h1 style={{ flex: 1 }}>Resilient Token Broker</h1>
        <button onClick={() => void chrome.runtime.openOptionsPage()}>Options</button>
      </div>
      {status.error && <p className="error">{status.error}</p>}
      <AccountList accounts={status.value?.accounts} onChange={reload} />
      <GrantsPanel offerActiveTab />
      <CachePanel status={status.value} />
      <ThrottlePanel status={status.value} />
      <EventLogPanel events={events.value} />
    </main>
  );
}
