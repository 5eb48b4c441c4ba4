import type { IncomingMessage, ServerResponse } from "node:http";
import { randomUUID } from "node:crypto";
import type { EmulatorContext, RequestFacts } from "../context.js";
import { corsHeaders, sendJson } from "../http-util.js";
import { GRAPH_AUDIENCE } from "../scopes.js";
import { revocationSecond } from "../tokens.js";
import { findUser } from "../users.js";

/** Graph's error shape. */
export function graphError(ctx: EmulatorContext, res: ServerResponse, facts: RequestFacts, status: number, code: string, message: string, headers: Record<string, string> = {}): void {
  facts.error = code;
  sendJson(
    res,
    status,
    { error: { code, message, innerError: { date: new Date(ctx.now()).toISOString().replace(/\.\d{3}Z$/, "Z"), "request-id": randomUUID(), "client-request-id": facts.correlationId } } },
    { ...corsHeaders(facts.origin), "client-request-id": facts.correlationId, ...headers },
  );
}

function bearerChallenge(ctx: EmulatorContext, extra = ""): string {
  return `Bearer realm="", authorization_uri="${ctx.url}/common/oauth2/authorize", client_id="${GRAPH_AUDIENCE}"${extra}`;
}

/** The claims challenge Entra's CAE sends: tokens must be issued after the revocation instant. */
function caeClaimsChallenge(revokedAtMs: number): string {
  const claims = { access_token: { nbf: { essential: true, value: String(revocationSecond(revokedAtMs)) } } };
  return Buffer.from(JSON.stringify(claims)).toString("base64");
}

/** `GET /v1.0/me`: a Graph-like resource that checks the bearer token and enforces CAE. */
export async function graphMe(ctx: EmulatorContext, req: IncomingMessage, res: ServerResponse, facts: RequestFacts): Promise<void> {
  const header = req.headers.authorization;
  const match = typeof header === "string" ? /^Bearer\s+([A-Za-z0-9._-]{1,16384})$/i.exec(header) : null;
  if (!match) {
    return graphError(ctx, res, facts, 401, "InvalidAuthenticationToken", "Access token is empty.", { "WWW-Authenticate": bearerChallenge(ctx) });
  }
  let payload: Record<string, unknown>;
  try {
    payload = await ctx.key.verify(match[1]!, ctx.issuer, GRAPH_AUDIENCE, ctx.now());
  } catch (err) {
    const expired = (err as { code?: string }).code === "ERR_JWT_EXPIRED";
    return graphError(ctx, res, facts, 401, "InvalidAuthenticationToken", expired ? "Lifetime validation failed, the token is expired." : "Access token validation failure. Invalid audience, issuer or signature.", {
      "WWW-Authenticate": bearerChallenge(ctx, `, error="invalid_token"`),
    });
  }
  const user = findUser(payload.preferred_username as string | undefined);
  facts.username = user?.username;
  facts.clientId = typeof payload.azp === "string" ? payload.azp : undefined;
  facts.scope = typeof payload.scp === "string" ? payload.scp : undefined;
  if (!user) return graphError(ctx, res, facts, 404, "Request_ResourceNotFound", "The user does not exist.");
  const revokedAt = ctx.revokedAt.get(user.username);
  const isCae = Array.isArray(payload.xms_cc) && payload.xms_cc.includes("cp1");
  if (isCae && revokedAt !== undefined && typeof payload.iat === "number" && payload.iat < revocationSecond(revokedAt)) {
    return graphError(ctx, res, facts, 401, "InvalidAuthenticationToken", "Continuous access evaluation resulted in challenge with result: InteractionRequired and code: TokenIssuedBeforeRevocationTimestamp", {
      "WWW-Authenticate": bearerChallenge(ctx, `, error="insufficient_claims", claims="${caeClaimsChallenge(revokedAt)}"`),
    });
  }
  const scp = typeof payload.scp === "string" ? payload.scp.split(" ") : [];
  if (!scp.some((s) => s.toLowerCase() === "user.read")) {
    return graphError(ctx, res, facts, 403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.");
  }
  sendJson(
    res,
    200,
    {
      "@odata.context": `${ctx.url}/v1.0/$metadata#users/$entity`,
      businessPhones: [],
      displayName: user.displayName,
      givenName: user.givenName,
      jobTitle: null,
      mail: user.username,
      mobilePhone: null,
      officeLocation: null,
      preferredLanguage: "en-US",
      surname: user.surname,
      userPrincipalName: user.username,
      id: user.oid,
    },
    { ...corsHeaders(facts.origin), "client-request-id": facts.correlationId },
  );
}
