import { useEffect, useState } from "react";
import type { ConfigView } from "../../protocol/views.js";
import { t } from "../../i18n/translate.js";
import { callBroker, errorText } from "../broker-client.js";
import { AccountList, endedSignIns } from "../components/account-list.js";
import { ActivityPanel } from "../components/activity-panel.js";
import { ConfigForm } from "../components/config-form.js";
import { GrantsPanel } from "../components/grants-panel.js";
import { RegistrationPanel } from "../components/registration-panel.js";
import { CachePanel, EventLogPanel, ThrottlePanel } from "../components/status-panels.js";
import { usePoll } from "../components/use-poll.js";

export function OptionsApp() {
  const status = usePoll(() => callBroker({ kind: "getStatus" }));
  const events = usePoll(() => callBroker({ kind: "getEvents" }));
  // Loaded once: it waits for the enterprise policy (seconds after a browser start); the form shows a loading state meanwhile.
  const [config, setConfig] = useState<ConfigView>();
  const [loadError, setLoadError] = useState<string>();
  useEffect(() => {
    callBroker({ kind: "getConfig" }).then(setConfig, (e: unknown) => setLoadError(errorText(e)));
  }, []);
  return (
    <main>
      <h1>{t("options_title")}</h1>
      {loadError && (
        <p className="error" role="alert">
          {t("options_load_failed", loadError)}
        </p>
      )}
      <ConfigForm config={config} accounts={status.value?.accounts.length ?? 0} onSaved={(saved) => (setConfig(saved), status.reload())} />
      <RegistrationPanel config={config} />
      <GrantsPanel />
      <AccountList accounts={status.value?.accounts} needsSignIn={endedSignIns(status.value)} onChange={() => status.reload()} />
      <CachePanel status={status.value} />
      <ThrottlePanel status={status.value} />
      <ActivityPanel />
      <EventLogPanel events={events.value} />
    </main>
  );
}
