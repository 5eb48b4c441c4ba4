import { AuthShellError } from "../errors.js";
import { scopesForRequest } from "../cache/scopes.js";
import type { Authority } from "./authority.js";

/**
 * The only prompt values the broker ever sends: `"none"` (silent), `"select_account"` (a person adds
 * another account: the IdP shows its account picker) or none at all (interactive, letting the IdP
 * reuse its session). `prompt=login` and `prompt=consent` are not representable (R4) and are
 * rejected at run time too.
 */
type AllowedPrompt = "none" | "select_account";

export interface AuthorizeUrlParams {
  authority: Authority;
  clientId: string;
  redirectUri: string;
  /** The caller's scopes; `openid profile offline_access` are always added. */
  scopes: string[];
  state: string;
  nonce: string;
  codeChallenge: string;
  prompt?: AllowedPrompt;
  loginHint?: string;
  domainHint?: string;
  /** Final JSON claims string (already merged with client capabilities). */
  claims?: string;
  correlationId: string;
  responseMode?: "fragment" | "query";
  /** Optional library identification headers sent as query parameters, like MSAL's x-client-SKU. */
  clientSku?: { name: string; version: string };
}

export function buildAuthorizeUrl(params: AuthorizeUrlParams): string {
  const prompt: unknown = params.prompt;
  if (prompt !== undefined && prompt !== "none" && prompt !== "select_account") {
    throw new AuthShellError("config_error", "Only prompt=none, prompt=select_account (or no prompt) is allowed");
  }
  const query = new URLSearchParams();
  query.set("client_id", params.clientId);
  query.set("response_type", "code");
  query.set("redirect_uri", params.redirectUri);
  query.set("scope", scopesForRequest(params.scopes).join(" "));
  query.set("state", params.state);
  query.set("nonce", params.nonce);
  query.set("code_challenge", params.codeChallenge);
  query.set("code_challenge_method", "S256");
  query.set("response_mode", params.responseMode ?? "fragment");
  query.set("client_info", "1");
  if (prompt === "none" || prompt === "select_account") query.set("prompt", prompt);
  if (params.loginHint) query.set("login_hint", params.loginHint);
  if (params.domainHint) query.set("domain_hint", params.domainHint);
  if (params.claims) query.set("claims", params.claims);
  query.set("client-request-id", params.correlationId);
  if (params.clientSku) {
    query.set("x-client-SKU", params.clientSku.name);
    query.set("x-client-VER", params.clientSku.version);
  }
  return `${params.authority.authorizeEndpoint}?${query.toString()}`;
}
