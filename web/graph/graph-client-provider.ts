import type { GraphTokenSource } from "./token-source.js";

/** `AuthenticationProvider` of `@microsoft/microsoft-graph-client` 3.x, structurally (no import of the SDK). */
export interface GraphClientAuthProvider {
  getAccessToken(options?: { scopes?: string[] }): Promise<string>;
}

/**
 * For `Client.initWithMiddleware({ authProvider })`. Scopes per request (a request's
 * `AuthenticationHandlerOptions`), else `scopes`. graph-client decides which hosts get the token
 * (its Graph hosts plus `customHosts`), and its RetryHandler retries 429/503/504: this provider only
 * answers for a token. graph-client does not answer CAE claims challenges; see the README.
 */
export function graphClientAuthProvider(source: GraphTokenSource, options: { scopes: string[] }): GraphClientAuthProvider {
  const defaults = [...options.scopes];
  return {
    getAccessToken: (request) => source({ scopes: request?.scopes?.length ? request.scopes : defaults }),
  };
}
