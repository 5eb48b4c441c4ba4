import { AuthShellError, type ErrorCode } from "../errors.js";

/** The error body Entra returns from /token (and, as query/fragment parameters, from /authorize). */
export interface EntraErrorBody {
  error?: string;
  error_description?: string;
  error_codes?: number[];
  suberror?: string;
  correlation_id?: string;
  trace_id?: string;
}

/** AADSTS codes with a meaning more specific than the OAuth `error` they come with. */
const AADSTS_CODES: ReadonlyMap<number, ErrorCode> = new Map<number, ErrorCode>([
  [50058, "login_required"], // no session / silent sign-in impossible
  [50076, "interaction_required"], // MFA required
  [50079, "interaction_required"], // MFA registration required
  [50158, "interaction_required"], // external security challenge
  [53003, "interaction_required"], // blocked by Conditional Access
  [65001, "consent_required"],
  [65004, "user_cancelled"], // user declined consent
  [50126, "invalid_grant"], // bad credentials
  [50173, "invalid_grant"], // grant expired after password change
  [70008, "invalid_grant"], // refresh token expired (inactivity)
  [700082, "invalid_grant"], // refresh token expired (max age)
  [700084, "invalid_grant"], // SPA refresh token lifetime (24 h) exceeded
  [50133, "invalid_grant"], // session invalid after password change
  [50196, "throttled"], // client request loop detected
]);

const OAUTH_ERRORS: ReadonlyMap<string, ErrorCode> = new Map<string, ErrorCode>([
  ["invalid_grant", "invalid_grant"],
  ["interaction_required", "interaction_required"],
  ["login_required", "login_required"],
  ["consent_required", "consent_required"],
  ["account_selection_required", "interaction_required"],
  ["temporarily_unavailable", "idp_unavailable"],
  ["server_error", "idp_unavailable"],
  ["slow_down", "throttled"],
]);

/** Suberrors (sent with invalid_grant / interaction_required) that change the required action. */
const SUBERRORS: ReadonlyMap<string, ErrorCode> = new Map<string, ErrorCode>([
  ["consent_required", "consent_required"],
  ["basic_action", "interaction_required"],
  ["additional_action", "interaction_required"],
  ["message_only", "interaction_required"],
  ["user_password_expired", "interaction_required"],
  ["bad_token", "invalid_grant"],
  ["token_expired", "invalid_grant"],
  ["protection_policy_required", "interaction_required"],
]);

/** The first AADSTS code: from `error_codes`, else from `AADSTSnnnnn` in the description. */
export function aadstsCodeOf(body: EntraErrorBody): number | undefined {
  const first = Array.isArray(body.error_codes) ? body.error_codes.find((c) => typeof c === "number") : undefined;
  if (first !== undefined) return first;
  const match = /AADSTS(\d{4,7})/.exec(body.error_description ?? "");
  return match ? Number(match[1]) : undefined;
}

function asBody(body: unknown): EntraErrorBody | undefined {
  if (typeof body === "string") {
    try {
      return asBody(JSON.parse(body));
    } catch {
      return undefined;
    }
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) return undefined;
  const b = body as Record<string, unknown>;
  const out: EntraErrorBody = {};
  if (typeof b.error === "string") out.error = b.error;
  if (typeof b.error_description === "string") out.error_description = b.error_description;
  if (Array.isArray(b.error_codes)) out.error_codes = b.error_codes.map(Number).filter(Number.isFinite);
  if (typeof b.suberror === "string") out.suberror = b.suberror;
  if (typeof b.correlation_id === "string") out.correlation_id = b.correlation_id;
  if (typeof b.trace_id === "string") out.trace_id = b.trace_id;
  return out;
}

/**
 * Maps an Entra error response (HTTP status + JSON body or parsed object) to an AuthShellError.
 * Precedence: HTTP 429 / 5xx, then suberror, then a known AADSTS code, then the OAuth `error`, then the HTTP status.
 * The message carries the IdP's error and AADSTS code, never the description's free text (which
 * may echo request data).
 */
export function mapEntraError(status: number, rawBody: unknown, correlationId?: string): AuthShellError {
  const body = asBody(rawBody);
  const aadsts = body ? aadstsCodeOf(body) : undefined;
  const init = {
    correlationId: body?.correlation_id ?? correlationId,
    idpError: body?.error,
    idpErrorCode: aadsts,
    suberror: body?.suberror,
  };
  const strip = <T extends object>(o: T): T =>
    Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

  let code: ErrorCode | undefined;
  if (status === 429) code = "throttled";
  else if (status >= 500) code = "idp_unavailable";
  if (!code && body?.suberror) code = SUBERRORS.get(body.suberror);
  if (!code && aadsts !== undefined) code = AADSTS_CODES.get(aadsts);
  if (!code && body?.error) code = OAUTH_ERRORS.get(body.error);
  if (!code) code = body?.error ? "idp_error" : "invalid_response";
  const what = body?.error ? `${body.error}${aadsts !== undefined ? ` (AADSTS${aadsts})` : ""}` : `HTTP ${status}`;
  return new AuthShellError(code, `Identity provider error: ${what}`, strip(init));
}
