/**
 * `resilient-token-broker/extension-broker`: the token broker for any MV3 extension's service worker
 * (`createExtensionBroker`). Only what is exported here is public. Filled in by issue 11.
 */
export { AuthShellError } from "../../shared/errors.js";
export type { ErrorCode } from "../../shared/errors.js";
