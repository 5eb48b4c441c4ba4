/**
 * The identity emulator for the extension's e2e tests: started in-process on a free port, driven
 * through its HTTP control API (`/__control/…`), whose request log is the tests' ground truth.
 */
import { request as httpsRequest } from "node:https";
import { startEmulator, type RunningEmulator } from "../emulator/server.js";

export interface LoggedRequest {
  seq: number;
  time: number;
  endpoint: string;
  method: string;
  grantType?: string;
  clientId?: string;
  origin?: string;
  status: number;
  fault?: string;
  error?: string;
  username?: string;
}

function call<T>(baseUrl: string, method: string, path: string, body?: unknown): Promise<T> {
  const url = new URL(path, baseUrl);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      url,
      { method, rejectUnauthorized: false, headers: payload ? { "content-type": "application/json", "content-length": Buffer.byteLength(payload) } : {} },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (text += chunk));
        res.on("end", () => {
          if ((res.statusCode ?? 500) >= 400) return reject(new Error(`${method} ${path} → ${res.statusCode}: ${text.slice(0, 300)}`));
          try {
            resolve((text ? JSON.parse(text) : {}) as T);
          } catch (error) {
            reject(error);
          }
        });
      },
    );
    req.on("error", reject);
    if (payload) req.write(payload);
    req.end();
  });
}

export class EmulatorHandle {
  private constructor(readonly running: RunningEmulator) {}

  static async start(): Promise<EmulatorHandle> {
    return new EmulatorHandle(await startEmulator({ port: 0 }));
  }

  get url(): string {
    return this.running.url;
  }
  get authority(): string {
    return this.running.authority;
  }
  get clientId(): string {
    return this.running.clientId;
  }
  get meUrl(): string {
    return `${this.running.url}/v1.0/me`;
  }

  control<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
    return call<T>(this.running.url, method, `/__control/${path}`, body);
  }

  addFault(spec: { endpoint: string; type: string; status?: number; retryAfter?: number | string; count?: number; durationMs?: number; latencyMs?: number }) {
    return this.control("POST", "faults", spec);
  }
  clearFaults() {
    return this.control("DELETE", "faults");
  }
  setLifetimes(patch: Record<string, number | null>) {
    return this.control("POST", "lifetimes", patch);
  }
  revoke(username: string) {
    return this.control("POST", "revoke", { username });
  }
  async requests(filter: { endpoint?: string; grantType?: string; since?: number } = {}): Promise<LoggedRequest[]> {
    const q = new URLSearchParams();
    if (filter.endpoint) q.set("endpoint", filter.endpoint);
    if (filter.grantType) q.set("grantType", filter.grantType);
    if (filter.since !== undefined) q.set("since", String(filter.since));
    const { entries } = await this.control<{ entries: LoggedRequest[] }>("GET", `requests?${q}`);
    return entries;
  }
  /** Token endpoint POSTs (grants) since a log sequence number; CORS preflights excluded. */
  async tokenPosts(since: number, grantType?: string): Promise<LoggedRequest[]> {
    const entries = await this.requests({ since, endpoint: "token", ...(grantType ? { grantType } : {}) });
    return entries.filter((e) => e.method === "POST");
  }
  async lastSeq(): Promise<number> {
    return (await this.control<{ lastSeq: number }>("GET", "requests?since=999999999")).lastSeq;
  }

  /** GET /v1.0/me with a bearer token, from Node (the resource server's view). */
  callMe(accessToken: string): Promise<{ status: number; wwwAuthenticate: string | undefined }> {
    return new Promise((resolve, reject) => {
      const req = httpsRequest(this.meUrl, { rejectUnauthorized: false, headers: { authorization: `Bearer ${accessToken}` } }, (res) => {
        res.resume();
        res.on("end", () => resolve({ status: res.statusCode ?? 0, wwwAuthenticate: res.headers["www-authenticate"] as string | undefined }));
      });
      req.on("error", reject);
      req.end();
    });
  }

  close(): Promise<void> {
    return this.running.close();
  }
}
