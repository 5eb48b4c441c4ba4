/**
 * The one error type that crosses every boundary (core → service worker → bridge → page, and
 * core → popup). `code` values are stable: callers, tests and the NAA status mapping rely on them.
 */
export const ERROR_CODES = [
  // The user must act (sign in, consent, answer a claims challenge).
  "interaction_required",
  "login_required",
  "consent_required",
  "invalid_grant",
  "user_cancelled",
  // The browser's popup blocker stopped the sign-in window: sign-in must start from a click.
  "popup_blocked",
  // The sign-in window stayed open, unfinished, for the shell's whole wait (web/shell/internal/popup-sign-in.ts).
  "sign_in_timeout",
  "interaction_cooldown",
  "no_account",
  // The identity provider or a resource is throttling or unavailable (retryable).
  "throttled",
  "idp_unavailable",
  "timeout",
  "network_error",
  // Protocol violations and bad responses.
  "state_mismatch",
  "nonce_mismatch",
  "invalid_response",
  "idp_error",
  // Requests the broker refuses.
  "invalid_request",
  "not_granted",
  "client_not_allowed",
  "scope_not_allowed",
  /** The person answered "Deny" to a scope outside the site's grant, or left the question unanswered. */
  "scope_declined",
  /** The site went over one of its per-origin budgets (asks per second, scope sets, forced refreshes); retryable after its wait. */
  "over_budget",
  "disabled",
  // Local faults.
  "config_error",
  "storage_error",
  "internal_error",
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface AuthShellErrorInit {
  retryable?: boolean;
  retryAfterMs?: number;
  claims?: string;
  correlationId?: string;
  /** The IdP's `error` and first AADSTS code, when the error came from the IdP. */
  idpError?: string;
  idpErrorCode?: number;
  suberror?: string;
  /** For `config_error` / `invalid_request` from a form: a plain sentence per refused field. */
  fields?: Record<string, string>;
  cause?: unknown;
}

/** The plain-object form that survives `postMessage`, extension runtime messaging and JSON. */
export interface AuthShellErrorPlain {
  name: "AuthShellError";
  code: ErrorCode;
  message: string;
  retryable: boolean;
  retryAfterMs?: number;
  claims?: string;
  correlationId?: string;
  idpError?: string;
  idpErrorCode?: number;
  suberror?: string;
  fields?: Record<string, string>;
}

const RETRYABLE_BY_DEFAULT: ReadonlySet<ErrorCode> = new Set([
  "throttled",
  "idp_unavailable",
  "timeout",
  "network_error",
  "storage_error",
]);

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === "string" && (ERROR_CODES as readonly string[]).includes(value);
}

export class AuthShellError extends Error {
  override readonly name = "AuthShellError";
  readonly code: ErrorCode;
  readonly retryable: boolean;
  readonly retryAfterMs?: number;
  readonly claims?: string;
  readonly correlationId?: string;
  readonly idpError?: string;
  readonly idpErrorCode?: number;
  readonly suberror?: string;
  readonly fields?: Record<string, string>;

  constructor(code: ErrorCode, message: string, init: AuthShellErrorInit = {}) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.code = code;
    this.retryable = init.retryable ?? RETRYABLE_BY_DEFAULT.has(code);
    if (init.retryAfterMs !== undefined) this.retryAfterMs = Math.max(0, Math.ceil(init.retryAfterMs));
    if (init.claims !== undefined) this.claims = init.claims;
    if (init.correlationId !== undefined) this.correlationId = init.correlationId;
    if (init.idpError !== undefined) this.idpError = init.idpError;
    if (init.idpErrorCode !== undefined) this.idpErrorCode = init.idpErrorCode;
    if (init.suberror !== undefined) this.suberror = init.suberror;
    if (init.fields !== undefined) this.fields = { ...init.fields };
  }

  toPlain(): AuthShellErrorPlain {
    const plain: AuthShellErrorPlain = {
      name: "AuthShellError",
      code: this.code,
      message: this.message,
      retryable: this.retryable,
    };
    if (this.retryAfterMs !== undefined) plain.retryAfterMs = this.retryAfterMs;
    if (this.claims !== undefined) plain.claims = this.claims;
    if (this.correlationId !== undefined) plain.correlationId = this.correlationId;
    if (this.idpError !== undefined) plain.idpError = this.idpError;
    if (this.idpErrorCode !== undefined) plain.idpErrorCode = this.idpErrorCode;
    if (this.suberror !== undefined) plain.suberror = this.suberror;
    if (this.fields !== undefined) plain.fields = { ...this.fields };
    return plain;
  }

  /** Rebuilds an error from its plain form; anything malformed becomes an `internal_error`. */
  static fromPlain(value: unknown): AuthShellError {
    if (typeof value !== "object" || value === null) {
      return new AuthShellError("internal_error", "Malformed error object");
    }
    const v = value as Record<string, unknown>;
    if (!isErrorCode(v.code) || typeof v.message !== "string") {
      return new AuthShellError("internal_error", "Malformed error object");
    }
    const init: AuthShellErrorInit = {};
    if (typeof v.retryable === "boolean") init.retryable = v.retryable;
    if (typeof v.retryAfterMs === "number" && Number.isFinite(v.retryAfterMs)) init.retryAfterMs = v.retryAfterMs;
    if (typeof v.claims === "string") init.claims = v.claims;
    if (typeof v.correlationId === "string") init.correlationId = v.correlationId;
    if (typeof v.idpError === "string") init.idpError = v.idpError;
    if (typeof v.idpErrorCode === "number") init.idpErrorCode = v.idpErrorCode;
    if (typeof v.suberror === "string") init.suberror = v.suberror;
    if (typeof v.fields === "object" && v.fields !== null && !Array.isArray(v.fields)) {
      const fields = Object.entries(v.fields as Record<string, unknown>).filter((e): e is [string, string] => typeof e[1] === "string");
      if (fields.length) init.fields = Object.fromEntries(fields);
    }
    return new AuthShellError(v.code, v.message, init);
  }

  /** Wraps anything thrown into an AuthShellError, keeping AuthShellErrors as they are. */
  static from(error: unknown, fallback: ErrorCode = "internal_error"): AuthShellError {
    if (error instanceof AuthShellError) return error;
    const message = error instanceof Error ? error.message : "Unexpected failure";
    return new AuthShellError(fallback, message, { cause: error });
  }
}
