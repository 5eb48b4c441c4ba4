import type { ServerResponse } from "node:http";
import { sendEntraError, type EmulatorContext, type RequestFacts } from "../context.js";
import { ERR } from "../entra-error.js";
import { corsHeaders, sendJson } from "../http-util.js";

/** `GET /{tenant}/v2.0/.well-known/openid-configuration` in Entra's shape. */
export function openIdConfiguration(ctx: EmulatorContext, res: ServerResponse, facts: RequestFacts, tenant: string): void {
  if (!ctx.acceptsTenant(tenant)) return sendEntraError(ctx, res, facts, ERR.unknownTenant(tenant));
  const isMultiTenant = tenant === "common" || tenant === "organizations";
  const base = `${ctx.url}/${tenant}`;
  const host = new URL(ctx.url).host;
  sendJson(
    res,
    200,
    {
      token_endpoint: `${base}/oauth2/v2.0/token`,
      token_endpoint_auth_methods_supported: ["client_secret_post", "private_key_jwt", "client_secret_basic"],
      jwks_uri: `${base}/discovery/v2.0/keys`,
      response_modes_supported: ["query", "fragment", "form_post"],
      subject_types_supported: ["pairwise"],
      id_token_signing_alg_values_supported: ["RS256"],
      response_types_supported: ["code", "id_token", "code id_token", "id_token token"],
      scopes_supported: ["openid", "profile", "email", "offline_access"],
      issuer: isMultiTenant ? `${ctx.url}/{tenantid}/v2.0` : ctx.issuer,
      request_uri_parameter_supported: false,
      authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
      http_logout_supported: true,
      frontchannel_logout_supported: true,
      end_session_endpoint: `${base}/oauth2/v2.0/logout`,
      claims_supported: ["sub", "iss", "cloud_instance_name", "cloud_instance_host_name", "cloud_graph_host_name", "msgraph_host", "aud", "exp", "iat", "auth_time", "acr", "nonce", "preferred_username", "name", "tid", "ver", "at_hash", "c_hash", "email"],
      code_challenge_methods_supported: ["S256"],
      tenant_region_scope: "NA",
      cloud_instance_name: host,
      cloud_graph_host_name: host,
      msgraph_host: host,
      rbac_url: ctx.url,
    },
    { ...corsHeaders(facts.origin), "Cache-Control": "max-age=86400, private" },
  );
}

/** `GET /common/discovery/instance?api-version=1.1&authorization_endpoint=…` */
export function instanceDiscovery(ctx: EmulatorContext, res: ServerResponse, facts: RequestFacts, query: URLSearchParams): void {
  const host = new URL(ctx.url).host;
  let tenant = ctx.tenant;
  const authorizationEndpoint = query.get("authorization_endpoint");
  if (authorizationEndpoint) {
    try {
      const url = new URL(authorizationEndpoint);
      const segment = url.pathname.split("/")[1];
      if (url.host !== host) {
        return sendEntraError(ctx, res, facts, { status: 400, error: "invalid_instance", aadsts: 50049, message: "Unknown or invalid instance." });
      }
      if (segment) tenant = segment;
    } catch {
      return sendEntraError(ctx, res, facts, { status: 400, error: "invalid_instance", aadsts: 50049, message: "Unknown or invalid instance." });
    }
  }
  sendJson(
    res,
    200,
    {
      tenant_discovery_endpoint: `${ctx.url}/${tenant}/v2.0/.well-known/openid-configuration`,
      "api-version": "1.1",
      metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
    },
    corsHeaders(facts.origin),
  );
}

/** `GET /{tenant}/discovery/v2.0/keys` */
export function jwks(ctx: EmulatorContext, res: ServerResponse, facts: RequestFacts, tenant: string): void {
  if (!ctx.acceptsTenant(tenant)) return sendEntraError(ctx, res, facts, ERR.unknownTenant(tenant));
  sendJson(res, 200, { keys: [{ ...ctx.key.publicJwk, issuer: ctx.issuer }] }, { ...corsHeaders(facts.origin), "Cache-Control": "max-age=86400, private" });
}
