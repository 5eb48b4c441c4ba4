import { useRef } from "react";
import { useAuthShell } from "resilient-token-broker/react";
import type { ShellWait } from "resilient-token-broker/shell";
import { useSecondTicker } from "./use-second-ticker.js";

function time(at: number | undefined): string {
  return at === undefined ? "—" : new Date(at).toLocaleTimeString();
}

function describeWait(w: ShellWait): string {
  const left = `${Math.max(1, Math.ceil(w.remainingMs / 1000))} s`;
  const where = !w.subject ? "the extension" : w.subject.kind === "resource" ? `resource ${w.subject.host}` : `sign-in ${w.subject.endpoint} endpoint`;
  if (w.kind === "throttled") return `${where}: paused ${left} more (Retry-After)`;
  if (w.kind === "cooldown") return `${where}: sign-in paused ${left} more`;
  return `${where}: backing off, next try in ${left}`;
}

/** Token source, expiry and refresh times, waits (counting down) and recent events. Never token values. */
export function StatusPanel() {
  const shell = useAuthShell();
  const status = shell.status();
  useSecondTicker(true);
  const throttles = status.waits.filter((w) => w.kind !== "unavailable");
  const backoffs = status.waits.filter((w) => w.kind === "unavailable");
  // "healthy" says the sign-in service answered; before this page sent it anything (no request, no
  // token, no wait) that would be a guess. Sticky: the event log is bounded and old requests drop out.
  const contacted = useRef(false);
  if (status.tokens.length > 0 || status.waits.length > 0 || status.events.some((e) => e.type === "http.request")) contacted.current = true;
  return (
    <section className="wide" data-testid="status-panel">
      <h2>Status</h2>
      <dl>
        <dt>Token source</dt>
        <dd data-testid="token-source">{status.mode}</dd>
        {status.account?.tenantId && (
          <>
            <dt>Tenant</dt>
            <dd data-testid="tenant" title={status.account.tenantId}>
              {status.account.tenantDomain ?? status.account.tenantId}
            </dd>
          </>
        )}
        <dt>Tokens</dt>
        <dd data-testid="token-expiry">
          {status.tokens.length === 0
            ? "none yet"
            : status.tokens.map((t) => (
                <div key={t.scopes.join(" ")}>
                  {t.scopes.join(" ")}: expires {time(t.expiresOn)}, refresh from {time(t.refreshOn)}
                  {t.fromCache ? " (cached)" : ""}
                </div>
              ))}
        </dd>
        <dt>Next proactive refresh</dt>
        <dd data-testid="next-refresh" data-at={status.nextRefreshAt ?? ""}>
          {status.mode === "extension" ? "handled by the extension" : time(status.nextRefreshAt)}
        </dd>
        <dt>In progress</dt>
        <dd data-testid="pending-state">{status.pending > 0 ? "waiting for the sign-in service…" : "nothing"}</dd>
        <dt>Throttling</dt>
        <dd data-testid="throttle-state">{throttles.length === 0 ? "none" : throttles.map((w, i) => <div key={i}>{describeWait(w)}</div>)}</dd>
        <dt>Backoff</dt>
        <dd data-testid="breaker-state">{backoffs.length > 0 ? backoffs.map((w, i) => <div key={i}>{describeWait(w)}</div>) : contacted.current ? "healthy" : "nothing sent to the sign-in service yet"}</dd>
      </dl>
      <h2 id="shell-events-heading">Recent events</h2>
      {/* Focusable: the list scrolls once it outgrows its max-height, and keyboard users must be able to scroll it. */}
      <ol className="events" data-testid="shell-events" tabIndex={0} aria-labelledby="shell-events-heading">
        {status.events.map((e, i) => (
          <li key={`${e.at}-${i}`} data-type={e.type}>
            {time(e.at)} {e.message}
          </li>
        ))}
      </ol>
    </section>
  );
}
