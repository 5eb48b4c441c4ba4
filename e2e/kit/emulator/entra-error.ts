import { randomUUID } from "node:crypto";

/** An error in Entra's shape; `aadsts` is the numeric AADSTS code (without the prefix). */
export interface EntraErrorSpec {
  status: number;
  error: string;
  aadsts: number;
  message: string;
  suberror?: string;
  claims?: string;
}

export interface EntraErrorBody {
  error: string;
  error_description: string;
  error_codes: number[];
  timestamp: string;
  trace_id: string;
  correlation_id: string;
  error_uri: string;
  suberror?: string;
  claims?: string;
}

/** Formats like Entra: "2026-01-01 10:00:00Z". */
function entraTimestamp(now: number): string {
  return new Date(now).toISOString().replace("T", " ").replace(/\.\d{3}Z$/, "Z");
}

export function entraErrorBody(spec: EntraErrorSpec, now: number, correlationId: string, baseUrl: string): EntraErrorBody {
  const traceId = randomUUID();
  const body: EntraErrorBody = {
    error: spec.error,
    error_description: `AADSTS${spec.aadsts}: ${spec.message} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${entraTimestamp(now)}`,
    error_codes: [spec.aadsts],
    timestamp: entraTimestamp(now),
    trace_id: traceId,
    correlation_id: correlationId,
    error_uri: `${baseUrl}/error?code=${spec.aadsts}`,
  };
  if (spec.suberror) body.suberror = spec.suberror;
  if (spec.claims) body.claims = spec.claims;
  return body;
}

/** Frequently used errors. */
export const ERR = {
  missingParam: (name: string): EntraErrorSpec => ({
    status: 400,
    error: "invalid_request",
    aadsts: 900144,
    message: `The request body must contain the following parameter: '${name}'.`,
  }),
  unknownClient: (clientId: string): EntraErrorSpec => ({
    status: 400,
    error: "unauthorized_client",
    aadsts: 700016,
    message: `Application with identifier '${clientId.slice(0, 64)}' was not found in the directory 'contoso.test'.`,
  }),
  unknownTenant: (tenant: string): EntraErrorSpec => ({
    status: 400,
    error: "invalid_tenant",
    aadsts: 90002,
    message: `Tenant '${tenant.slice(0, 64)}' not found.`,
  }),
  invalidScope: (detail: string): EntraErrorSpec => ({
    status: 400,
    error: "invalid_scope",
    aadsts: 70011,
    message: `The provided request must include a 'scope' input parameter. The provided value for the input parameter 'scope' is not valid. ${detail}`,
  }),
  malformed: (detail: string): EntraErrorSpec => ({
    status: 400,
    error: "invalid_request",
    aadsts: 90014,
    message: `The request is malformed or invalid. ${detail}`,
  }),
} as const;
