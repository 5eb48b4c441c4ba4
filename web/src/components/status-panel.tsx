import { useEffect, useState } from "react";
import type { ShellAuth } from "../auth/shell-auth";

function time(at: number | undefined): string {
  return at === undefined ? "—" : new Date(at).toLocaleTimeString();
}

/** Token source, expiry and refresh times, throttling/backoff state and recent events. Never token values. */
export function StatusPanel({ shell }: { shell: ShellAuth }) {
  const [, tick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => tick((n) => n + 1), 1000);
    return () => clearInterval(timer);
  }, []);
  const tokens = shell.tokenInfo();
  const gates = shell.gate.snapshot();
  const breakers = shell.breaker.snapshot();
  return (
    <section className="wide" data-testid="status-panel">
      <h2>Status</h2>
      <dl>
        <dt>Token source</dt>
        <dd data-testid="token-source">{shell.source}</dd>
        <dt>Tokens</dt>
        <dd data-testid="token-expiry">
          {tokens.length === 0
            ? "none yet"
            : tokens.map((t) => (
                <div key={t.scopes.join(" ")}>
                  {t.scopes.join(" ")}: expires {time(t.expiresOn)}, refresh from {time(t.refreshOn)}
                  {t.fromCache ? " (cached)" : ""}
                </div>
              ))}
        </dd>
        <dt>Next proactive refresh</dt>
        <dd data-testid="next-refresh" data-at={shell.nextRefreshAt() ?? ""}>{shell.source === "extension" ? "handled by the extension" : time(shell.nextRefreshAt())}</dd>
        <dt>Throttling</dt>
        <dd data-testid="throttle-state">
          {gates.length === 0
            ? "none"
            : gates.map((g) => (
                <div key={g.key}>
                  {g.key}: paused {Math.ceil(g.remainingMs / 1000)} s more (Retry-After)
                </div>
              ))}
        </dd>
        <dt>Backoff / breaker</dt>
        <dd data-testid="breaker-state">
          {breakers.length === 0 ? "healthy" : breakers.map((b) => <div key={b.key}>{`${b.key}: ${b.phase}, ${b.consecutiveFailures} failures`}</div>)}
        </dd>
      </dl>
      <h2>Recent events</h2>
      <ol className="events" data-testid="shell-events">
        {shell.events.recent().map((e, i) => (
          <li key={`${e.at}-${i}`} data-type={e.type}>
            {time(e.at)} {e.message}
          </li>
        ))}
      </ol>
    </section>
  );
}
