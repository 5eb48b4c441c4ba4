/** Fault injection per endpoint, driven by `POST /__control/faults`. */
import { ENTRA_ERROR_PRESET_NAMES, type EntraErrorFault, type EntraErrorPreset } from "./entra-error-presets.js";

const FAULT_ENDPOINTS = ["token", "authorize", "me", "member_objects", "member_of", "graph", "keys", "discovery", "logout", "*"] as const;
/** The Graph surface's endpoints (fault key `graph` matches each). */
export const GRAPH_ENDPOINTS: readonly string[] = ["me", "member_objects", "member_of"];
type FaultEndpoint = (typeof FAULT_ENDPOINTS)[number];
/**
 * `drop` destroys the socket before the request is handled (the IdP never saw it); `reset` handles the
 * request in full (a grant is redeemed, a refresh token rotated) and destroys the socket instead of
 * sending the answer — a reset after the server did the work, which a client cannot tell apart.
 */
type FaultType = "status" | "latency" | "hang" | "drop" | "reset" | "entra_error";
const FAULT_TYPES: readonly FaultType[] = ["status", "latency", "hang", "drop", "reset", "entra_error"];

/** Entra's throttling answer when a 429 fault names no `Retry-After` (observed on the token endpoint). */
const DEFAULT_RETRY_AFTER_SECONDS = 60;

export interface FaultSpec extends EntraErrorFault {
  endpoint: FaultEndpoint;
  type: FaultType;
  /** For `status`: the HTTP status to answer (e.g. 429, 500, 503); for `entra_error`: default 400. */
  status?: number;
  /**
   * `Retry-After` to send: seconds (number) or an HTTP-date / any raw string; `null` sends none.
   * Unset: 429 answers carry `Retry-After: 60` (as Entra does), other statuses none.
   */
  retryAfter?: number | string | null;
  /**
   * Body of a `status` fault on the Entra endpoints (token, discovery, keys): `"text"` (the default
   * for 429: Entra's plain-text "Too Many Requests") or `"json"` (an Entra error JSON, AADSTS90055).
   * 5xx answers are always Entra JSON.
   */
  body?: "text" | "json";
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
  if (!FAULT_TYPES.includes(b.type as FaultType)) return `type must be one of ${FAULT_TYPES.join(", ")}`;
  const spec: FaultSpec = { endpoint: b.endpoint as FaultEndpoint, type: b.type as FaultType };
  if (spec.type === "status" || (spec.type === "entra_error" && b.status !== undefined)) {
    if (typeof b.status !== "number" || !Number.isInteger(b.status) || b.status < 400 || b.status > 599) return "status must be an integer 400–599";
    spec.status = b.status;
  }
  if (spec.type === "entra_error") {
    const problem = parseEntraErrorFields(b, spec);
    if (problem) return problem;
  }
  if (b.body !== undefined) {
    if (b.body !== "text" && b.body !== "json") return "body must be 'text' or 'json'";
    spec.body = b.body;
  }
  if (b.retryAfter === null) spec.retryAfter = null;
  else if (b.retryAfter !== undefined) {
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

const PRINTABLE = /^[\x20-\x7e]*$/;

/** The `entra_error` fields: a preset and/or a custom error; returns a problem or undefined. */
function parseEntraErrorFields(b: Record<string, unknown>, spec: FaultSpec): string | undefined {
  if (spec.endpoint !== "token" && spec.endpoint !== "authorize") return "entra_error faults apply to the token or authorize endpoint";
  if (b.preset !== undefined) {
    if (!ENTRA_ERROR_PRESET_NAMES.includes(b.preset as EntraErrorPreset)) return `preset must be one of ${ENTRA_ERROR_PRESET_NAMES.join(", ")}`;
    spec.preset = b.preset as EntraErrorPreset;
  } else if (b.error === undefined) return "entra_error faults need a preset or an error";
  for (const key of ["error", "suberror", "message"] as const) {
    const value = b[key];
    if (value === undefined) continue;
    if (typeof value !== "string" || value.length === 0 || value.length > 500 || !PRINTABLE.test(value)) return `${key} must be a printable string`;
    if (key !== "message" && !/^[a-z_]+$/.test(value)) return `${key} must be an OAuth error word (a-z, _)`;
    spec[key] = value;
  }
  if (b.claims !== undefined) {
    if (typeof b.claims !== "string" || b.claims.length > 4000) return "claims must be a JSON string";
    try {
      JSON.parse(b.claims);
    } catch {
      return "claims must be a JSON string";
    }
    spec.claims = b.claims;
  }
  if (b.aadsts !== undefined) {
    if (typeof b.aadsts !== "number" || !Number.isInteger(b.aadsts) || b.aadsts < 1 || b.aadsts > 99_999_999) return "aadsts must be a positive integer";
    spec.aadsts = b.aadsts;
  }
  return undefined;
}

/** Which fault endpoint a logged endpoint belongs to. */
function matches(faultEndpoint: FaultEndpoint, endpoint: string): boolean {
  if (faultEndpoint === "*") return true;
  if (faultEndpoint === "discovery") return endpoint === "discovery" || endpoint === "instance_discovery";
  if (faultEndpoint === "graph") return GRAPH_ENDPOINTS.includes(endpoint);
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

/** The `Retry-After` header of a `status` fault (Entra's 60 s for an unspecified 429). */
export function retryAfterHeader(value: number | string | null | undefined, status: number): Record<string, string> {
  if (value === null) return {};
  if (value === undefined) return status === 429 ? { "Retry-After": String(DEFAULT_RETRY_AFTER_SECONDS) } : {};
  return { "Retry-After": typeof value === "number" ? String(Math.max(0, Math.round(value))) : value };
}
