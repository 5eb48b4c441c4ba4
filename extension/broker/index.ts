/**
 * `resilient-token-broker/extension-broker`: the token broker for any MV3 extension's service worker.
 * Call `createExtensionBroker` at the top level of the worker. Only what is exported here is public.
 */
export { createExtensionBroker } from "./create-extension-broker.js";
export { contentScriptMatches, isOwnExtensionPage, matchPatternFor, normaliseOrigin } from "./grant-rules.js";
export type {
  AccountInfo,
  AcquireTokenOptions,
  ActivityEntry,
  ActivityQuery,
  BrokerEvent,
  BrokerEventListener,
  BrokerEventType,
  BudgetFlag,
  BudgetLimits,
  ExposeToPagesOptions,
  ExtensionBroker,
  ExtensionBrokerConfig,
  ExtensionBrokerOptions,
  ExtensionBrokerSettings,
  Grant,
  PageServer,
  ScopeQuestionView,
  ScopeAnswer,
  ScopeQuestion,
  SignInOptions,
  StatusView,
  TokenResult,
} from "./extension-broker-types.js";
export { AuthShellError } from "../../shared/errors.js";
export type { ErrorCode } from "../../shared/errors.js";
