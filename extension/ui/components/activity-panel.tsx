import { useEffect, useState } from "react";
import type { ActivityEntry, ActivityQuery } from "../../protocol/views.js";
import { activityCsv, activityJson } from "../../activity/activity-export.js";
import { t } from "../../i18n/translate.js";
import { formatClock, textLanguage } from "../../i18n/status-text.js";
import { callBroker, errorText } from "../broker-client.js";
import { usePoll } from "./use-poll.js";
import { pageClock } from "../page-clock.js";
import { StatusLine, type PanelMessage } from "./status-line.js";

/** The table shows the newest rows; the export has every matching entry the record keeps. */
const TABLE_ROWS = 200;

const SOURCE_KEY: Record<ActivityEntry["source"], string> = {
  cache: "activity_source_cache",
  refresh_token: "activity_source_refresh_token",
  silent_authorize: "activity_source_silent_authorize",
  interactive: "activity_source_interactive",
};

const CALLER_KEY: Record<ActivityEntry["caller"], string> = {
  page: "activity_caller_page",
  library: "activity_caller_library",
  "sign-in": "activity_caller_sign_in",
};

/** How a token was served, in words ("from the cache", "after a sign-in window"). */
function sourceText(source: ActivityEntry["source"]): string {
  return t(SOURCE_KEY[source]);
}

function download(name: string, type: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  link.click();
  // The click has started the download: the URL can go once this task ends.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

/**
 * The activity record on the options page: every token served, filtered by site and account, and
 * its export as JSON or CSV for an administrator. Rows name who got what and how — never a token.
 */
export function ActivityPanel() {
  const [origin, setOrigin] = useState("");
  const [account, setAccount] = useState("");
  const [message, setMessage] = useState<PanelMessage>();
  const query = (): ActivityQuery => ({ ...(origin ? { origin } : {}), ...(account.trim() ? { account: account.trim() } : {}) });
  const activity = usePoll(() => callBroker({ kind: "getActivity", query: { ...query(), limit: TABLE_ROWS } }), 2000);
  const sites = usePoll(() => callBroker({ kind: "getLastUse" }), 5000);
  useEffect(() => activity.reload(), [origin, account]);

  const entries = activity.value?.entries ?? [];
  const bound = activity.value?.bound;
  const accounts = [...new Set(entries.map((e) => e.username))];
  const now = pageClock.now();

  const exportAs = async (format: "json" | "csv") => {
    setMessage(undefined);
    try {
      const all = await callBroker({ kind: "getActivity", query: query() });
      const exportedAt = pageClock.now();
      const day = new Date(exportedAt).toISOString().slice(0, 10);
      if (format === "json") download(`token-activity-${day}.json`, "application/json", activityJson(all.entries, exportedAt, all.bound));
      else download(`token-activity-${day}.csv`, "text/csv;charset=utf-8", activityCsv(all.entries));
      setMessage({ text: t("activity_exported", all.entries.length), error: false });
    } catch (e) {
      setMessage({ text: t("activity_export_failed", errorText(e)), error: true });
    }
  };

  return (
    <section data-testid="activity-panel" aria-labelledby="activity-heading">
      <h2 id="activity-heading">{t("activity_heading")}</h2>
      <p className="muted small">{bound ? t("activity_bound", bound.maxDays, bound.maxEntries.toLocaleString(textLanguage())) : ""}</p>
      <div className="row">
        <label>
          {t("activity_filter_site")}
          <select data-testid="activity-filter-site" value={origin} onChange={(e) => setOrigin(e.target.value)}>
            <option value="">{t("activity_filter_any_site")}</option>
            {Object.keys(sites.value ?? {})
              .sort()
              .map((o) => (
                <option key={o} value={o}>
                  {o}
                </option>
              ))}
          </select>
        </label>
        <label>
          {t("activity_filter_account")}
          <input data-testid="activity-filter-account" list="activity-accounts" value={account} onChange={(e) => setAccount(e.target.value)} placeholder={t("activity_filter_any_account")} />
          <datalist id="activity-accounts">
            {accounts.map((a) => (
              <option key={a} value={a} />
            ))}
          </datalist>
        </label>
      </div>
      {entries.length === 0 ? (
        <p className="muted" data-testid="activity-empty">
          {activity.error ?? t("activity_none")}
        </p>
      ) : (
        <div className="table-scroll">
          <table data-testid="activity-table">
            <thead>
              <tr>
                <th scope="col">{t("activity_col_time")}</th>
                <th scope="col">{t("activity_col_site")}</th>
                <th scope="col">{t("activity_col_account")}</th>
                <th scope="col">{t("activity_col_client")}</th>
                <th scope="col">{t("activity_col_scopes")}</th>
                <th scope="col">{t("activity_col_how")}</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={`${e.at}|${e.correlationId}|${e.frameOrigin}`} data-testid="activity-row" data-origin={e.frameOrigin} data-source={e.source} data-at={e.at}>
                  <td>{formatClock(e.at, now)}</td>
                  <td>
                    {e.frameOrigin}
                    {e.origin !== e.frameOrigin && <span className="muted small"> {t("activity_in_page", e.origin)}</span>}
                    {e.caller !== "page" && <span className="muted small"> {t(CALLER_KEY[e.caller])}</span>}
                  </td>
                  <td>{e.username}</td>
                  <td>{e.clientId}</td>
                  <td data-testid="activity-scopes">{e.scopes.join(" ")}</td>
                  <td>{sourceText(e.source)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <div className="row">
        <button type="button" data-testid="activity-export-json" onClick={() => void exportAs("json")}>
          {t("activity_export_json")}
        </button>
        <button type="button" data-testid="activity-export-csv" onClick={() => void exportAs("csv")}>
          {t("activity_export_csv")}
        </button>
      </div>
      <StatusLine testId="activity-message" message={message} />
    </section>
  );
}
