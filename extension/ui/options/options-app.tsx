import { callBroker } from "../broker-client.js";
import { AccountList } from "../components/account-list.js";
import { ConfigForm } from "../components/config-form.js";
import { GrantsPanel } from "../components/grants-panel.js";
import { CachePanel, EventLogPanel, ThrottlePanel } from "../components/status-panels.js";
import { usePoll } from "../components/use-poll.js";

export function OptionsApp() {
  const status = usePoll(() => callBroker({ kind: "getStatus" }));
  const events = usePoll(() => callBroker({ kind: "getEvents" }));
  return (
    <main>
      <h1>Resilient Token Broker — options</h1>
      <ConfigForm />
      <GrantsPanel />
      <AccountList accounts={status.value?.accounts} onChange={() => status.reload()} />
      <CachePanel status={status.value} />
      <ThrottlePanel status={status.value} />
      <EventLogPanel events={events.value} />
    </main>
  );
}
