import { GRAPH_HOSTS, isAllowedUrl, normaliseAllowedHosts } from "./graph-hosts.js";
import type { GraphTokenSource } from "./token-source.js";

/**
 * The public surface of Kiota's `AllowedHostsValidator`. Its class has private members, so only an
 * instance of it satisfies Kiota's `AccessTokenProvider` type: the caller hands us the class (from
 * `@microsoft/kiota-abstractions`, which this entry never imports at run time).
 */
export interface HostsValidator {
  getAllowedHosts(): string[];
}

export interface KiotaTokenProviderOptions<V extends HostsValidator> {
  /** The scopes of every request's token (Kiota's provider has no per-request scopes). */
  scopes: string[];
  /** `AllowedHostsValidator` from `@microsoft/kiota-abstractions`. */
  AllowedHostsValidator: new (hosts: Set<string>) => V;
  /** Bare hosts that may receive the token; default Graph's global and national-cloud hosts. Never empty. */
  allowedHosts?: readonly string[];
}

/** Kiota's `AccessTokenProvider`, typed by the caller's validator class (no Kiota types in ours). */
export interface KiotaAccessTokenProvider<V extends HostsValidator> {
  getAuthorizationToken(url?: string, additionalAuthenticationContext?: Record<string, unknown>): Promise<string>;
  getAllowedHostsValidator(): V;
}

/**
 * For `new BaseBearerTokenAuthenticationProvider(provider)`. Kiota's base provider attaches whatever
 * this returns, so the host check is ours: a URL whose host is not on the validator's list gets ""
 * (no Authorization header) and no token is acquired. When Kiota met a CAE challenge it asks again
 * with `claims` (the raw base64 parameter), which we decode, merge with cp1 and acquire past the
 * cache; its fetch adapter retries the request once, and its RetryHandler owns 429/503/504.
 */
export function kiotaAccessTokenProvider<V extends HostsValidator>(source: GraphTokenSource, options: KiotaTokenProviderOptions<V>): KiotaAccessTokenProvider<V> {
  const scopes = [...options.scopes];
  const validator = new options.AllowedHostsValidator(new Set(normaliseAllowedHosts(options.allowedHosts ?? GRAPH_HOSTS)));
  return {
    async getAuthorizationToken(url, context) {
      // Read the list on every call: `setAllowedHosts` on the validator takes effect at once. An
      // empty list (set later) means "every host" to Kiota; to us it means none.
      const hosts = validator.getAllowedHosts();
      if (hosts.length === 0 || !isAllowedUrl(url, hosts)) return "";
      const claims = typeof context?.claims === "string" && context.claims !== "" ? context.claims : undefined;
      return source({ scopes, ...(claims ? { claims } : {}) });
    },
    getAllowedHostsValidator: () => validator,
  };
}
