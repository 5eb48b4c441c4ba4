import { Agent, request } from "node:https";
import { startEmulator, type EmulatorOptions, type RunningEmulator } from "./server.js";
import type { ActiveFault, FaultSpec } from "./faults.js";
import type { Lifetimes } from "./lifetimes.js";
import type { RequestLogEntry, RequestLogFilter } from "./request-log.js";
import type { ClientRegistration } from "./clients.js";
import type { ConsentSpec } from "./consent.js";
import type { EntraErrorPreset } from "./entra-error-presets.js";
import type { EmulatorSettings, SettingsPatch } from "./settings.js";

export type { ActiveFault, FaultSpec, Lifetimes, RequestLogEntry, RequestLogFilter, RunningEmulator, EmulatorOptions, ClientRegistration, ConsentSpec, EntraErrorPreset, EmulatorSettings, SettingsPatch };

/** Lifetime patch: seconds; `null` restores the rule (random 60–90 min AT; `refresh_in` half-life rule). */
export type LifetimesPatch = Partial<Omit<Lifetimes, "refreshInSeconds" | "accessTokenSeconds">> & { refreshInSeconds?: number | null; accessTokenSeconds?: number | null };

export interface EmulatorMetrics {
  uptimeMs: number;
  requestsTotal: number;
  requestsByEndpoint: Record<string, number>;
  requestsByStatus: Record<string, number>;
  grantsByType: Record<string, number>;
  faultsApplied: number;
  activeFaults: number;
  liveSessions: number;
  liveRefreshTokenFamilies: number;
  lastSeq: number;
}

const insecureAgent = new Agent({ rejectUnauthorized: false, keepAlive: true });

/** A JSON request to the emulator, accepting its self-signed certificate. */
function jsonRequest<T>(url: string, method: string, body?: unknown): Promise<T> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = request(
      url,
      { method, agent: insecureAgent, headers: payload ? { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(payload) } : {} },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          if ((res.statusCode ?? 500) >= 400) {
            reject(new Error(`emulator control ${method} ${new URL(url).pathname} → ${res.statusCode}: ${text.slice(0, 300)}`));
            return;
          }
          try {
            resolve(JSON.parse(text) as T);
          } catch {
            reject(new Error(`emulator control ${method} ${url}: response is not JSON`));
          }
        });
      },
    );
    req.on("error", reject);
    req.end(payload);
  });
}

/** Typed client for the emulator's `/__control/` API (see e2e/kit/emulator/README.md). */
export class EmulatorControl {
  constructor(readonly baseUrl: string) {}

  private controlUrl(path: string): string {
    return `${this.baseUrl}/__control/${path}`;
  }

  /** Adds a fault (see FaultSpec); the first matching fault applies. */
  fault(spec: FaultSpec): Promise<ActiveFault> {
    return jsonRequest(this.controlUrl("faults"), "POST", spec);
  }

  /** The same as `fault(spec)` (the name the repository's own tests use). */
  setFault(spec: FaultSpec): Promise<ActiveFault> {
    return this.fault(spec);
  }

  async faults(): Promise<ActiveFault[]> {
    return (await jsonRequest<{ faults: ActiveFault[] }>(this.controlUrl("faults"), "GET")).faults;
  }

  async clearFaults(): Promise<void> {
    await jsonRequest(this.controlUrl("faults"), "DELETE");
  }

  /** Patches lifetimes (seconds); `refreshInSeconds: null` restores the half-life rule. Returns all lifetimes. */
  setLifetimes(patch: LifetimesPatch): Promise<Lifetimes> {
    return jsonRequest(this.controlUrl("lifetimes"), "POST", patch);
  }

  /** CAE revocation: ends the user's sessions, revokes their refresh tokens, challenges older cp1 tokens. */
  revoke(username: string): Promise<{ username: string; revokedAt: number; sessionsEnded: number; familiesRevoked: number }> {
    return jsonRequest(this.controlUrl("revoke"), "POST", { username });
  }

  expire(what: "refresh_tokens" | "sessions", username?: string): Promise<{ expired: number }> {
    return jsonRequest(this.controlUrl("expire"), "POST", { what, ...(username ? { username } : {}) });
  }

  /** Loop detection thresholds and the refresh-token reuse rule; returns all settings. */
  setSettings(patch: SettingsPatch): Promise<EmulatorSettings> {
    return jsonRequest(this.controlUrl("settings"), "POST", patch);
  }

  settings(): Promise<EmulatorSettings> {
    return jsonRequest(this.controlUrl("settings"), "GET");
  }

  /** Sets the scopes a user (or every user) has consented to for a client; others need consent (AADSTS65001). */
  async setConsent(spec: ConsentSpec): Promise<void> {
    await jsonRequest(this.controlUrl("consent"), "POST", spec);
  }

  async reset(): Promise<void> {
    await jsonRequest(this.controlUrl("reset"), "POST", {});
  }

  /** The request log (IdP requests only, never token values), optionally filtered. */
  async requests(filter: RequestLogFilter = {}): Promise<RequestLogEntry[]> {
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries(filter)) if (value !== undefined) query.set(key, String(value));
    const qs = query.toString();
    return (await jsonRequest<{ entries: RequestLogEntry[] }>(this.controlUrl(`requests${qs ? `?${qs}` : ""}`), "GET")).entries;
  }

  /** The sequence number of the latest logged request: pass it as `since` to see only later ones. */
  async lastSeq(): Promise<number> {
    return (await jsonRequest<{ lastSeq: number }>(this.controlUrl("requests?since=999999999999"), "GET")).lastSeq;
  }

  async clearRequests(): Promise<void> {
    await jsonRequest(this.controlUrl("requests"), "DELETE");
  }

  metrics(): Promise<EmulatorMetrics> {
    return jsonRequest(this.controlUrl("metrics"), "GET");
  }

  registerClient(client: Partial<ClientRegistration> & { clientId: string; redirectUris: string[] }): Promise<ClientRegistration> {
    return jsonRequest(this.controlUrl("clients"), "POST", client);
  }
}

export interface TestEmulator extends RunningEmulator {
  control: EmulatorControl;
}

/** Starts an in-process emulator on a free port (unless `port` is given) with a control client. */
export async function startTestEmulator(options: EmulatorOptions = {}): Promise<TestEmulator> {
  const emulator = await startEmulator({ port: 0, ...options });
  return Object.assign(emulator, { control: new EmulatorControl(emulator.url) });
}
