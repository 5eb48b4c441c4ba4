import { isRegisteredRedirect, type ClientRegistration } from "../clients.js";
import type { EmulatorContext } from "../context.js";
import { ERR, type EntraErrorSpec } from "../entra-error.js";
import { resolveScopes, type ResolvedScopes } from "../scopes.js";
import { parseClaimsParam, type ClaimsRequest } from "../tokens.js";

export type ResponseMode = "query" | "fragment" | "form_post";

/** A validated authorize request. */
export interface AuthorizeRequest {
  client: ClientRegistration;
  redirectUri: string;
  responseMode: ResponseMode;
  state?: string;
  nonce?: string;
  scopeParam: string;
  scopes: ResolvedScopes;
  codeChallenge: string;
  prompt?: string;
  loginHint?: string;
  sid?: string;
  claims: ClaimsRequest;
  clientInfo: boolean;
}

export type AuthorizeValidation =
  /** Shown on an error page: the redirect URI cannot be trusted. */
  | { kind: "page_error"; spec: EntraErrorSpec }
  /** Sent to the (trusted) redirect URI. */
  | { kind: "redirect_error"; redirectUri: string; responseMode: ResponseMode; state?: string; spec: EntraErrorSpec }
  | { kind: "ok"; request: AuthorizeRequest };

const PROMPTS = new Set(["none", "login", "select_account", "consent", "create"]);
const CHALLENGE = /^[A-Za-z0-9_-]{43}$/;

function single(query: URLSearchParams, name: string): string | undefined {
  const all = query.getAll(name);
  return all.length === 1 ? all[0] : undefined;
}

/** Validates an authorize request in Entra's order: tenant, client, redirect URI, then the rest. */
export function validateAuthorize(ctx: EmulatorContext, tenant: string, query: URLSearchParams): AuthorizeValidation {
  if (!ctx.acceptsTenant(tenant)) return { kind: "page_error", spec: ERR.unknownTenant(tenant) };
  const clientId = single(query, "client_id");
  if (!clientId) return { kind: "page_error", spec: ERR.missingParam("client_id") };
  const client = ctx.clients.get(clientId);
  if (!client) return { kind: "page_error", spec: ERR.unknownClient(clientId) };
  const redirectUri = single(query, "redirect_uri");
  if (!redirectUri) return { kind: "page_error", spec: { status: 400, error: "invalid_request", aadsts: 900971, message: "No reply address provided." } };
  if (!isRegisteredRedirect(client, redirectUri)) {
    return {
      kind: "page_error",
      spec: {
        status: 400,
        error: "invalid_request",
        aadsts: 50011,
        message: `The redirect URI '${redirectUri.slice(0, 200)}' specified in the request does not match the redirect URIs configured for the application '${client.clientId}'.`,
      },
    };
  }
  const modeParam = single(query, "response_mode");
  if (modeParam !== undefined && modeParam !== "query" && modeParam !== "fragment" && modeParam !== "form_post") {
    return { kind: "page_error", spec: ERR.malformed(`Unsupported response_mode '${modeParam.slice(0, 40)}'.`) };
  }
  // Entra: "query" is the default for response_type=code, whatever the platform; fragment only when asked.
  const responseMode: ResponseMode = modeParam ?? "query";
  const state = single(query, "state");
  const fail = (spec: EntraErrorSpec): AuthorizeValidation => ({ kind: "redirect_error", redirectUri, responseMode, state, spec });

  if (single(query, "response_type") !== "code") {
    return fail({ status: 400, error: "unsupported_response_type", aadsts: 700054, message: "The app requested a response_type other than 'code', which is the only one enabled for this single-page application." });
  }
  const codeChallenge = single(query, "code_challenge");
  if (!codeChallenge) {
    return fail({ status: 400, error: "invalid_request", aadsts: 9002325, message: "Proof Key for Code Exchange is required for cross-origin authorization code redemption." });
  }
  const method = single(query, "code_challenge_method");
  if (method !== "S256") {
    return fail({ status: 400, error: "invalid_request", aadsts: 9002325, message: `The code_challenge_method '${(method ?? "plain").slice(0, 20)}' is not supported; use S256.` });
  }
  if (!CHALLENGE.test(codeChallenge)) return fail(ERR.malformed("The code_challenge is not a base64url SHA-256 value."));
  const scopeParam = single(query, "scope");
  if (!scopeParam) return fail(ERR.invalidScope("The 'scope' parameter is missing."));
  const scopes = resolveScopes(scopeParam);
  if ("error" in scopes) {
    return fail(scopes.error === "multiple_resources" ? { status: 400, error: "invalid_request", aadsts: 28000, message: `Provided value for the input parameter scope is not valid because it contains more than one resource.` } : ERR.invalidScope(scopes.detail));
  }
  const claims = parseClaimsParam(single(query, "claims"));
  if (claims === "invalid") return fail(ERR.malformed("The claims parameter is not valid JSON."));
  const prompt = single(query, "prompt");
  if (prompt !== undefined && !PROMPTS.has(prompt)) return fail(ERR.malformed(`Invalid prompt value '${prompt.slice(0, 40)}'.`));
  return {
    kind: "ok",
    request: {
      client,
      redirectUri,
      responseMode,
      state,
      nonce: single(query, "nonce"),
      scopeParam,
      scopes,
      codeChallenge,
      prompt,
      loginHint: single(query, "login_hint"),
      sid: single(query, "sid"),
      claims,
      clientInfo: single(query, "client_info") === "1",
    },
  };
}
