import { request } from "node:https";

/** One request the emulator logged (the ground truth of every count in the demo and bench). */
export interface IdpLogEntry {
  seq: number;
  time: number;
  endpoint: string;
  method: string;
  path: string;
  grantType?: string;
  clientId?: string;
  origin?: string;
  status: number;
  fault?: string;
  username?: string;
  error?: string;
}

export interface FaultRequest {
  endpoint: "token" | "authorize" | "me" | "keys" | "discovery" | "logout" | "*";
  type: "status" | "latency" | "hang" | "drop";
  status?: number;
  retryAfter?: number | string;
  count?: number;
  durationMs?: number;
  latencyMs?: number;
}

/** A client of the emulator's control API (`/__control/…`, JSON over HTTPS with its self-signed certificate). */
export class IdpControl {
  constructor(readonly baseUrl: string) {}

  private call<T>(method: "GET" | "POST" | "DELETE", path: string, body?: unknown): Promise<T> {
    const url = new URL(`/__control/${path}`, this.baseUrl);
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return new Promise<T>((resolve, reject) => {
      const req = request(
        url,
        { method, rejectUnauthorized: false, headers: payload ? { "content-type": "application/json", "content-length": Buffer.byteLength(payload) } : {} },
        (res) => {
          let text = "";
          res.setEncoding("utf8");
          res.on("data", (chunk: string) => (text += chunk));
          res.on("end", () => {
            if ((res.statusCode ?? 500) >= 400) reject(new Error(`control ${method} ${path}: ${res.statusCode} ${text.slice(0, 200)}`));
            else resolve((text ? JSON.parse(text) : {}) as T);
          });
        },
      );
      req.on("error", reject);
      if (payload) req.write(payload);
      req.end();
    });
  }

  addFault(fault: FaultRequest): Promise<unknown> {
    return this.call("POST", "faults", fault);
  }
  clearFaults(): Promise<unknown> {
    return this.call("DELETE", "faults");
  }
  setLifetimes(patch: Record<string, number | null>): Promise<unknown> {
    return this.call("POST", "lifetimes", patch);
  }
  revoke(username: string): Promise<unknown> {
    return this.call("POST", "revoke", { username });
  }
  reset(): Promise<unknown> {
    return this.call("POST", "reset");
  }
  async requests(since?: number): Promise<{ entries: IdpLogEntry[]; lastSeq: number }> {
    return this.call("GET", `requests${since !== undefined ? `?since=${since}` : ""}`);
  }
  async lastSeq(): Promise<number> {
    return (await this.requests(Number.MAX_SAFE_INTEGER)).lastSeq;
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
