import type { BrokerEvent } from "../../../shared/ports.js";
import type { StatusView } from "../../../shared/protocol/views.js";
import { formatTime } from "./use-poll.js";

/** Cache entries: scopes, expiry, refresh time — never token values. */
export function CachePanel({ status }: { status: StatusView | undefined }) {
  const entries = status?.cache ?? [];
  return (
    <section data-testid="cache-status" data-entries={entries.length}>
      <h2>Cached tokens</h2>
      {entries.length === 0 ? (
        <p className="muted">No cached tokens.</p>
      ) : (
        <table>
          <thead>
            <tr><th>Scopes</th><th>Expires</th><th>Refresh</th><th>RT</th></tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr key={`${e.clientId}|${e.scopes.join(" ")}|${e.claimsBound}`}>
                <td>{e.scopes.join(" ")}{e.claimsBound ? " (claims)" : ""}</td>
                <td>{formatTime(e.expiresOn, status?.now)}</td>
                <td>{formatTime(e.refreshOn, status?.now)}</td>
                <td>{e.hasRefreshToken ? "yes" : "no"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** Retry-After gates, circuit breakers, the prompt cooldown and the next alarm. */
export function ThrottlePanel({ status }: { status: StatusView | undefined }) {
  const gates = (status?.gates ?? []).filter((g) => g.remainingMs > 0);
  const breakers = (status?.breakers ?? []).filter((b) => b.phase !== "closed" || b.consecutiveFailures > 0);
  const cooling = status?.cooldownUntil && status.cooldownUntil > status.now;
  return (
    <section data-testid="throttle-status" data-throttled={gates.length > 0} data-breakers={breakers.length}>
      <h2>Throttling and backoff</h2>
      {gates.length === 0 && breakers.length === 0 && !cooling && <p className="muted">Not throttled; identity provider healthy.</p>}
      <ul>
        {gates.map((g) => (
          <li key={g.key}>Retry-After on {g.key}: wait {Math.ceil(g.remainingMs / 1000)} s</li>
        ))}
        {breakers.map((b) => (
          <li key={b.key}>
            Breaker {b.key}: {b.phase}, {b.consecutiveFailures} failure(s){b.openUntil ? `, probe ${formatTime(b.openUntil, status?.now)}` : ""}
          </li>
        ))}
        {cooling && <li>Sign-in prompts paused until {formatTime(status?.cooldownUntil, status?.now)}</li>}
      </ul>
      <p className="muted">Next refresh/retry alarm: {formatTime(status?.nextAlarmAt, status?.now)}</p>
    </section>
  );
}

export function EventLogPanel({ events }: { events: BrokerEvent[] | undefined }) {
  return (
    <section>
      <h2 id="event-log-heading">Recent events</h2>
      <ol data-testid="event-log" className="log" tabIndex={0} aria-labelledby="event-log-heading">
        {[...(events ?? [])].reverse().map((e, i) => (
          <li key={`${e.at}-${i}`} data-type={e.type}>
            <span>{new Date(e.at).toLocaleTimeString()} {e.type}</span>
            <span>{e.message}</span>
          </li>
        ))}
      </ol>
    </section>
  );
}
