import { decodeClaimsParam, withClientCapabilities } from "../../shared/cae/claims-request.js";
import { withChallengeClaims } from "../../shared/cae/claims-error.js";
import { AuthShellError } from "../../shared/errors.js";

/** What a Graph SDK provider asks for: a token for `scopes`, with a claims challenge when one was met. */
export interface GraphTokenRequest {
  scopes: string[];
  /** A claims challenge as the resource sent it: JSON, or base64 JSON (Kiota passes the raw parameter). */
  claims?: string;
}

/** Returns the bearer token for a request; both SDK providers sit on one of these. */
export type GraphTokenSource = (request: GraphTokenRequest) => Promise<string>;

/** The part of `AuthShell` (`resilient-token-broker/shell`) the providers use. */
export interface ShellTokens {
  getToken(request: { scopes: string[]; claims?: string; forceRefresh?: boolean }): Promise<{ accessToken: string }>;
}

/**
 * The part of `ExtensionBroker` (`resilient-token-broker/extension-broker`) the providers use. A
 * structural type: this entry never imports the extension's code, and a page never loads it.
 */
export interface BrokerTokens {
  acquireToken(options: { scopes: string[]; claims?: string; forceRefresh?: boolean }): Promise<{ accessToken: string }>;
}

export interface TokenSourceOptions {
  /** Client capabilities merged into a claims challenge (`xms_cc`); default `["cp1"]` (CAE). */
  clientCapabilities?: string[];
}

/** Tokens from the page's auth shell (standalone MSAL or the extension's bridge). */
export function fromAuthShell(shell: ShellTokens, options: TokenSourceOptions = {}): GraphTokenSource {
  return tokenSource((request) => shell.getToken(request), options);
}

/** Tokens from an extension's own broker (`createExtensionBroker`), for Graph calls from its worker. */
export function fromExtensionBroker(broker: BrokerTokens, options: TokenSourceOptions = {}): GraphTokenSource {
  return tokenSource((request) => broker.acquireToken(request), options);
}

type Acquire = (request: { scopes: string[]; claims?: string; forceRefresh?: boolean }) => Promise<{ accessToken: string }>;

/**
 * The shared adapter: scopes pass through as asked; a claims challenge is decoded, merged with the
 * client capabilities and sent with `forceRefresh` (a cached token is the one the resource refused).
 * A failure to answer a challenge keeps the claims on the error, for an interactive sign-in.
 */
function tokenSource(acquire: Acquire, options: TokenSourceOptions): GraphTokenSource {
  const capabilities = options.clientCapabilities ?? ["cp1"];
  return async ({ scopes, claims }) => {
    if (scopes.length === 0) throw new AuthShellError("invalid_request", "A Graph token request needs at least one scope.");
    if (claims === undefined || claims === "") return (await acquire({ scopes })).accessToken;
    const challenge = decodeClaimsParam(claims);
    if (challenge === undefined) {
      throw new AuthShellError("invalid_request", "The resource's claims challenge is neither JSON nor base64-encoded JSON, so no token can answer it.");
    }
    const merged = withClientCapabilities(challenge, capabilities);
    try {
      return (await acquire({ scopes, claims: merged, forceRefresh: true })).accessToken;
    } catch (error) {
      throw withChallengeClaims(error, merged);
    }
  };
}
