import type { RequestLogEntry } from "../kit/emulator/control-client.js";

/** CORS preflights are the browser's, not the client's: counts and timelines leave them out. */
export const withoutPreflights = (entries: RequestLogEntry[]) => entries.filter((e) => e.method !== "OPTIONS");

/** "1 authorize (GET), 1 token (refresh_token), 3 me" — a one-line summary of log entries (no preflights). */
export function summarize(entries: RequestLogEntry[]): string {
  const counts = new Map<string, number>();
  for (const e of withoutPreflights(entries)) {
    const name = e.endpoint === "token" && e.grantType ? `token (${e.grantType})` : e.endpoint === "authorize" ? `authorize (${e.method})` : e.endpoint;
    const key = `${name}${e.status >= 400 ? ` → ${e.status}${e.error ? ` ${e.error}` : ""}` : ""}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  if (counts.size === 0) return "no requests";
  return [...counts.entries()].map(([k, n]) => `${n} ${k}`).join(", ");
}
