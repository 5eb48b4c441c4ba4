/**
 * `resilient-token-broker/react`: React bindings of the shell (`AuthShellProvider` and hooks).
 * Only what is exported here is public. Filled in by issue 9.
 */
export { AuthShellError } from "resilient-token-broker/shell";
