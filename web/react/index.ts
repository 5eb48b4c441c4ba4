/**
 * `resilient-token-broker/react`: React bindings of the shell (`AuthShellProvider` and hooks). The
 * core is `resilient-token-broker/shell`; this layer only binds it. Only what is exported here is public.
 */
export { AuthShellProvider, type AuthShellProviderProps } from "./internal/provider.js";
export { useAuthShell, useAccount, useAccessToken, useAuthFetch, type AccessTokenState } from "./internal/hooks.js";
export { RequireRole, type RequireRoleProps } from "./internal/require-role.js";
export { RequireGroup, type RequireGroupProps } from "./internal/require-group.js";
export { AuthShellError, describeError, ERROR_DESCRIPTIONS } from "resilient-token-broker/shell";
export type { AuthShell, AuthShellConfig, AuthShellAccount, AccessTokenResult, ErrorCode } from "resilient-token-broker/shell";
