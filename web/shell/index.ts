/**
 * `resilient-token-broker/shell`: the framework-agnostic SPA auth shell (`createAuthShell`).
 * Only what is exported here is public. Filled in by issue 9.
 */
export { AuthShellError } from "../../shared/errors";
export type { ErrorCode } from "../../shared/errors";
