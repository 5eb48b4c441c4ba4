/**
 * `resilient-token-broker/shell`: the framework-agnostic SPA auth shell. Only what is exported here
 * is public (an ESLint rule keeps web/demo, the demo, to this file and `/react`).
 */
import { resolveShellConfig, type AuthShellConfig } from "./internal/config.js";
import { createAuthShellOn } from "./internal/create-auth-shell.js";
import type { AuthShell } from "./internal/auth-shell-types.js";
import { browserPlatform } from "./platform/browser-platform.js";

export { AuthShellError, ERROR_CODES } from "../../shared/errors.js";
export type { ErrorCode, AuthShellErrorPlain } from "../../shared/errors.js";
export type { ShellEvent, ShellEventType } from "../../shared/events.js";
export type { GateSubject } from "../../shared/resilience/gate-keys.js";
export { ERROR_DESCRIPTIONS, describeError } from "./internal/error-text.js";
export { completePopupSignIn } from "./redirect.js";
export type { AuthShellConfig } from "./internal/config.js";
export type {
  AccessTokenResult,
  AuthFetchOptions,
  AuthShell,
  AuthShellAccount,
  AuthShellStatus,
  IdTokenClaimsView,
  ShellMode,
  ShellWait,
  TokenRequest,
  TokenStatus,
} from "./internal/auth-shell-types.js";

/**
 * Starts the shell. With the browser extension installed (and this origin granted) tokens come from
 * its broker (`mode` "extension"); otherwise MSAL runs in the page, behind the same resilience core
 * (`mode` "standalone"). Rejects with an AuthShellError (`config_error`) for a bad configuration.
 */
export async function createAuthShell(config: AuthShellConfig): Promise<AuthShell> {
  const resolved = resolveShellConfig(config);
  return createAuthShellOn(resolved, await browserPlatform());
}
