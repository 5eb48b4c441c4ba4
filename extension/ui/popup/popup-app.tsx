import { t } from "../../i18n/translate.js";
import { callBroker } from "../broker-client.js";
import { AccountList, endedSignIns } from "../components/account-list.js";
import { DiagnosticsPanel } from "../components/diagnostics.js";
import { GrantsPanel } from "../components/grants-panel.js";
import { SiteUsePanel } from "../components/site-use-panel.js";
import { OverBudgetPanel } from "../components/over-budget-panel.js";
import { ScopeQuestionsPanel } from "../components/scope-questions-panel.js";
import { CachePanel, ThrottlePanel } from "../components/status-panels.js";
import { StatusSummaryHeader } from "../components/status-summary.js";
import { useOnline, usePoll } from "../components/use-poll.js";
import { browser } from "../../platform/browser-api.js";

export function PopupApp() {
  const status = usePoll(() => callBroker({ kind: "getStatus" }));
  const events = usePoll(() => callBroker({ kind: "getEvents", limit: 50 }));
  const online = useOnline();
  const reload = () => (status.reload(), events.reload());
  return (
    <main>
      <header className="row">
        <h1 style={{ flex: 1 }}>{t("popup_title")}</h1>
        <button onClick={() => void browser.runtime.openOptionsPage()}>{t("popup_options")}</button>
      </header>
      <StatusSummaryHeader status={status.value} online={online} />
      {status.error && <p className="error" role="alert">{status.error}</p>}
      <ScopeQuestionsPanel />
      <AccountList accounts={status.value?.accounts} needsSignIn={endedSignIns(status.value)} onChange={reload} />
      <OverBudgetPanel />
      <GrantsPanel offerActiveTab />
      <SiteUsePanel />
      <CachePanel status={status.value} />
      <ThrottlePanel status={status.value} />
      <DiagnosticsPanel status={status.value} events={events.value} />
    </main>
  );
}
