import { AuthShellError } from "../errors.js";
import type { HttpRequest, HttpResponse } from "../ports.js";
import { scopesForRequest } from "../cache/scopes.js";
import type { Authority } from "./authority.js";
import { mapEntraError } from "./entra-errors.js";
import { parseTokenResponse, type TokenEndpointResponse } from "./token-response.js";

/**
 * Sends one request under a gate/breaker key. The broker wires this to `sendResilient` (Retry-After
 * gate, breaker, timeout, backoff); it resolves with non-5xx responses as they are and throws
 * AuthShellErrors ('throttled', 'idp_unavailable', 'timeout', 'network_error') otherwise.
 */
type KeyedRequestSender = (key: string, request: HttpRequest) => Promise<HttpResponse>;

export interface TokenClientConfig {
  authority: Authority;
  clientId: string;
  redirectUri: string;
  send: KeyedRequestSender;
  clientSku?: { name: string; version: string };
}

interface CommonGrant {
  scopes: string[];
  /** Final claims JSON (already merged with client capabilities), if any. */
  claims?: string;
  correlationId: string;
}

export interface CodeGrant extends CommonGrant {
  code: string;
  codeVerifier: string;
}

export interface RefreshGrant extends CommonGrant {
  refreshToken: string;
}

/** The OAuth 2.0 token endpoint client of a public (SPA) client: code + PKCE, and refresh token. */
export class TokenClient {
  constructor(private readonly config: TokenClientConfig) {}

  redeemCode(grant: CodeGrant): Promise<TokenEndpointResponse> {
    const form = this.form(grant);
    form.set("grant_type", "authorization_code");
    form.set("code", grant.code);
    form.set("code_verifier", grant.codeVerifier);
    form.set("redirect_uri", this.config.redirectUri);
    return this.post(form, grant.correlationId);
  }

  redeemRefreshToken(grant: RefreshGrant): Promise<TokenEndpointResponse> {
    const form = this.form(grant);
    form.set("grant_type", "refresh_token");
    form.set("refresh_token", grant.refreshToken);
    return this.post(form, grant.correlationId);
  }

  private form(grant: CommonGrant): URLSearchParams {
    const form = new URLSearchParams();
    form.set("client_id", this.config.clientId);
    form.set("scope", scopesForRequest(grant.scopes).join(" "));
    form.set("client_info", "1");
    if (grant.claims) form.set("claims", grant.claims);
    return form;
  }

  private async post(form: URLSearchParams, correlationId: string): Promise<TokenEndpointResponse> {
    const headers: Record<string, string> = {
      "content-type": "application/x-www-form-urlencoded;charset=utf-8",
      "client-request-id": correlationId,
      "return-client-request-id": "true",
    };
    if (this.config.clientSku) {
      headers["x-client-SKU"] = this.config.clientSku.name;
      headers["x-client-VER"] = this.config.clientSku.version;
    }
    const response = await this.config.send(this.config.authority.tokenGateKey, {
      url: this.config.authority.tokenEndpoint,
      method: "POST",
      headers,
      body: form.toString(),
    });
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      throw new AuthShellError("network_error", "The token response body could not be read", { cause: error, correlationId });
    }
    if (response.status !== 200) throw mapEntraError(response.status, text, correlationId);
    return parseTokenResponse(text);
  }
}
