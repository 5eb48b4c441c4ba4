/** Fault injection per endpoint, driven by `POST /__control/faults`. */
export const FAULT_ENDPOINTS = ["token", "authorize", "me", "keys", "discovery", "logout", "*"] as const;
export type FaultEndpoint = (typeof FAULT_ENDPOINTS)[number];
export type FaultType = "status" | "latency" | "hang" | "drop";

export interface FaultSpec {
  endpoint: FaultEndpoint;
  type: FaultType;
  /** For `status`: the HTTP status to answer (e.g. 429, 500, 503). */
  status?: number;
  /** `Retry-After` to send: seconds (number) or an HTTP-date / any raw string. */
  retryAfter?: number | string;
  /** Apply to the next N matching requests only. */
  count?: number;
  /** Apply for this many milliseconds from now. */
  durationMs?: number;
  /** For `latency`: delay before answering normally. */
  latencyMs?: number;
}

export interface ActiveFault extends FaultSpec {
  id: number;
  remaining?: number;
  until?: number;
  applied: number;
}

export function parseFaultSpec(input: unknown): FaultSpec | string {
  if (typeof input !== "object" || input === null || Array.isArray(input)) return "body must be a JSON object";
  const b = input as Record<string, unknown>;
  if (!FAULT_ENDPOINTS.includes(b.endpoint as FaultEndpoint)) return `endpoint must be one of ${FAULT_ENDPOINTS.join(", ")}`;
  if (!["status", "latency", "hang", "drop"].includes(b.type as string)) return "type must be status, latency, hang or drop";
  const spec: FaultSpec = { endpoint: b.endpoint as FaultEndpoint, type: b.type as FaultType };
  if (spec.type === "status") {
    if (typeof b.status !== "number" || !Number.isInteger(b.status) || b.status < 400 || b.status > 599) return "status must be an integer 400–599";
    spec.status = b.status;
  }
  if (b.retryAfter !== undefined) {
    const ok = (typeof b.retryAfter === "number" && Number.isFinite(b.retryAfter)) || (typeof b.retryAfter === "string" && b.retryAfter.length <= 100 && /^[\x20-\x7e]*$/.test(b.retryAfter));
    if (!ok) return "retryAfter must be a number of seconds or a printable string (HTTP-date)";
    spec.retryAfter = b.retryAfter as number | string;
  }
  for (const key of ["count", "durationMs", "latencyMs"] as const) {
    const value = b[key];
    if (value === undefined) continue;
    if (typeof value !== "number" || !Number.isFinite(value) || value < 0 || value > 24 * 3600_000) return `${key} must be a non-negative number`;
    spec[key] = value;
  }
  if (spec.type === "latency" && spec.latencyMs === undefined) return "latency faults need latencyMs";
  return spec;
}

/** Which fault endpoint a logged endpoint belongs to. */
function matches(faultEndpoint: FaultEndpoint, endpoint: string): boolean {
  if (faultEndpoint === "*") return true;
  if (faultEndpoint === "discovery") return endpoint === "discovery" || endpoint === "instance_discovery";
  return faultEndpoint === endpoint;
}

export class FaultTable {
  private faults: ActiveFault[] = [];
  private nextId = 1;
  appliedTotal = 0;

  add(spec: FaultSpec, now: number): ActiveFault {
    const fault: ActiveFault = {
      ...spec,
      id: this.nextId++,
      remaining: spec.count,
      until: spec.durationMs !== undefined ? now + spec.durationMs : undefined,
      applied: 0,
    };
    this.faults.push(fault);
    return fault;
  }

  clear(): void {
    this.faults = [];
  }

  list(now: number): ActiveFault[] {
    this.prune(now);
    return this.faults.map((f) => ({ ...f }));
  }

  /** The fault to apply to this request, consuming one use; undefined when none applies. */
  take(endpoint: string, now: number): ActiveFault | undefined {
    this.prune(now);
    const fault = this.faults.find((f) => matches(f.endpoint, endpoint));
    if (!fault) return undefined;
    if (fault.remaining !== undefined) fault.remaining -= 1;
    fault.applied += 1;
    this.appliedTotal += 1;
    this.prune(now);
    return { ...fault };
  }

  private prune(now: number): void {
    this.faults = this.faults.filter((f) => (f.remaining === undefined || f.remaining > 0) && (f.until === undefined || f.until > now));
  }
}

export function retryAfterHeader(value: number | string | undefined): Record<string, string> {
  if (value === undefined) return {};
  return { "Retry-After": typeof value === "number" ? String(Math.max(0, Math.round(value))) : value };
}
