/**
 * `resilient-token-broker/graph`: token providers for the Microsoft Graph SDKs over the auth shell or
 * an extension's broker. The SDKs are optional peers: nothing here imports them at run time.
 */
export { fromAuthShell, fromExtensionBroker } from "./token-source";
export type { BrokerTokens, GraphTokenRequest, GraphTokenSource, ShellTokens, TokenSourceOptions } from "./token-source";
export { graphClientAuthProvider } from "./graph-client-provider";
export type { GraphClientAuthProvider } from "./graph-client-provider";
export { kiotaAccessTokenProvider } from "./kiota-provider";
export type { HostsValidator, KiotaAccessTokenProvider, KiotaTokenProviderOptions } from "./kiota-provider";
export { GRAPH_HOSTS } from "./graph-hosts";
