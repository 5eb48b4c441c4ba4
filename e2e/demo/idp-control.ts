import { EmulatorControl, type FaultSpec, type Lifetimes, type RequestLogEntry } from "../support/emulator";

/** One request the emulator logged (the ground truth of every count in the demo and bench). */
export type IdpLogEntry = RequestLogEntry;

/**
 * @deprecated The older call shape (`addFault`, `requests(since) → { entries }`) still imported by
 * e2e/tests/web-*.spec.ts; it only forwards to the one control client, EmulatorControl — use that.
 */
export class IdpControl {
  private readonly control: EmulatorControl;
  constructor(readonly baseUrl: string) {
    this.control = new EmulatorControl(baseUrl);
  }
  addFault(fault: FaultSpec) {
    return this.control.setFault(fault);
  }
  setLifetimes(patch: Partial<Omit<Lifetimes, "refreshInSeconds">> & { refreshInSeconds?: number | null }) {
    return this.control.setLifetimes(patch);
  }
  async requests(since?: number): Promise<{ entries: IdpLogEntry[] }> {
    return { entries: await this.control.requests({ since }) };
  }
  lastSeq(): Promise<number> {
    return this.control.lastSeq();
  }
}

/** CORS preflights are the browser's, not the client's: counts and timelines leave them out. */
export const withoutPreflights = (entries: IdpLogEntry[]) => entries.filter((e) => e.method !== "OPTIONS");

/** "1 authorize (GET), 1 token (refresh_token), 3 me" — a one-line summary of log entries (no preflights). */
export function summarize(entries: IdpLogEntry[]): string {
  const counts = new Map<string, number>();
  for (const e of withoutPreflights(entries)) {
    const name = e.endpoint === "token" && e.grantType ? `token (${e.grantType})` : e.endpoint === "authorize" ? `authorize (${e.method})` : e.endpoint;
    const key = `${name}${e.status >= 400 ? ` → ${e.status}${e.error ? ` ${e.error}` : ""}` : ""}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  if (counts.size === 0) return "no requests";
  return [...counts.entries()].map(([k, n]) => `${n} ${k}`).join(", ");
}
