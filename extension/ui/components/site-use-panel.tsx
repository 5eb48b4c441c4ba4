import { t } from "../../i18n/translate.js";
import { formatClock, formatRelative } from "../../i18n/status-text.js";
import { callBroker } from "../broker-client.js";
import { usePoll } from "./use-poll.js";
import { pageClock } from "../page-clock.js";

/**
 * The popup's "last used" per allowed site, from the activity record: a site that got tokens while
 * the person did not expect it shows here. The full record is on the options page.
 */
export function SiteUsePanel() {
  const grants = usePoll(() => callBroker({ kind: "listGrants" }), 2000);
  const lastUse = usePoll(() => callBroker({ kind: "getLastUse" }), 2000);
  const now = pageClock.now();
  const sites = grants.value ?? [];
  // No allowed site: the grants panel says so already; a second "No site is allowed yet." is noise.
  if (sites.length === 0 && !lastUse.error) return null;
  return (
    <section data-testid="site-use" aria-labelledby="site-use-heading">
      <h2 id="site-use-heading">{t("activity_last_use_heading")}</h2>
      {sites.length > 0 && (
        <ul className="stack">
          {sites.map((g) => {
            const at = lastUse.value?.[g.origin];
            return (
              <li key={g.origin} data-testid="site-use-item" data-origin={g.origin} data-last-use={at ?? ""}>
                <span className="clip" title={g.origin}>
                  {g.origin}
                </span>{" "}
                <span className="muted" data-testid="site-use-time">
                  {at === undefined ? t("activity_never_used") : t("activity_last_used", formatClock(at, now), formatRelative(at, now))}
                </span>
              </li>
            );
          })}
        </ul>
      )}
      {lastUse.error && <p className="error">{lastUse.error}</p>}
    </section>
  );
}
