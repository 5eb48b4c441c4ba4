/**
 * `resilient-token-broker/graph`: token providers for the Microsoft Graph SDKs over the auth shell or
 * an extension's broker. The SDKs are optional peers: nothing here imports them at run time.
 */
export { fromAuthShell, fromExtensionBroker } from "./token-source.js";
export type { BrokerTokens, GraphTokenRequest, GraphTokenSource, ShellTokens, TokenSourceOptions } from "./token-source.js";
export { graphClientAuthProvider } from "./graph-client-provider.js";
export type { GraphClientAuthProvider } from "./graph-client-provider.js";
export { kiotaAccessTokenProvider } from "./kiota-provider.js";
export type { HostsValidator, KiotaAccessTokenProvider, KiotaTokenProviderOptions } from "./kiota-provider.js";
export { GRAPH_HOSTS } from "./graph-hosts.js";
