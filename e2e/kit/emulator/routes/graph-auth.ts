import type { IncomingMessage, ServerResponse } from "node:http";
import { randomUUID } from "node:crypto";
import type { EmulatorContext, RequestFacts } from "../context.js";
import { corsHeaders, sendJson } from "../http-util.js";
import { GRAPH_AUDIENCE } from "../scopes.js";
import { revocationSecond } from "../tokens.js";
import { findUser, type EmulatorUser } from "../users.js";

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

/** A Graph success answer, with the headers every Graph answer carries here. */
export function graphJson(res: ServerResponse, facts: RequestFacts, body: unknown): void {
  sendJson(res, 200, body, { ...corsHeaders(facts.origin), "client-request-id": facts.correlationId });
}

function bearerChallenge(ctx: EmulatorContext, extra = ""): string {
  return `Bearer realm="", authorization_uri="${ctx.url}/common/oauth2/authorize", client_id="${GRAPH_AUDIENCE}"${extra}`;
}

/** The claims challenge Entra's CAE sends: tokens must be issued after the revocation instant. */
function caeClaimsChallenge(revokedAtMs: number): string {
  const claims = { access_token: { nbf: { essential: true, value: String(revocationSecond(revokedAtMs)) } } };
  return Buffer.from(JSON.stringify(claims)).toString("base64");
}

/**
 * Checks a Graph request's bearer token as Graph does (signature, issuer, audience, expiry), the CAE
 * revocation of its user (cp1 tokens issued before it → 401 `insufficient_claims`) and the delegated
 * scope `User.Read` (what `/me`, `/me/getMemberObjects` and `/me/transitiveMemberOf` need for the
 * signed-in user). Answers the error itself and returns undefined, or returns the token's user.
 */
export async function authenticateGraph(ctx: EmulatorContext, req: IncomingMessage, res: ServerResponse, facts: RequestFacts): Promise<EmulatorUser | undefined> {
  const header = req.headers.authorization;
  const match = typeof header === "string" ? /^Bearer\s+([A-Za-z0-9._-]{1,16384})$/i.exec(header) : null;
  if (!match) {
    graphError(ctx, res, facts, 401, "InvalidAuthenticationToken", "Access token is empty.", { "WWW-Authenticate": bearerChallenge(ctx) });
    return undefined;
  }
  let payload: Record<string, unknown>;
  try {
    payload = await ctx.key.verify(match[1]!, ctx.issuer, GRAPH_AUDIENCE, ctx.now());
  } catch (err) {
    const expired = (err as { code?: string }).code === "ERR_JWT_EXPIRED";
    graphError(ctx, res, facts, 401, "InvalidAuthenticationToken", expired ? "Lifetime validation failed, the token is expired." : "Access token validation failure. Invalid audience, issuer or signature.", {
      "WWW-Authenticate": bearerChallenge(ctx, `, error="invalid_token"`),
    });
    return undefined;
  }
  const user = findUser(payload.preferred_username as string | undefined);
  facts.username = user?.username;
  facts.clientId = typeof payload.azp === "string" ? payload.azp : undefined;
  facts.scope = typeof payload.scp === "string" ? payload.scp : undefined;
  if (!user) {
    graphError(ctx, res, facts, 404, "Request_ResourceNotFound", "The user does not exist.");
    return undefined;
  }
  const revokedAt = ctx.revokedAt.get(user.username);
  const isCae = Array.isArray(payload.xms_cc) && payload.xms_cc.includes("cp1");
  if (isCae && revokedAt !== undefined && typeof payload.iat === "number" && payload.iat < revocationSecond(revokedAt)) {
    graphError(ctx, res, facts, 401, "InvalidAuthenticationToken", "Continuous access evaluation resulted in challenge with result: InteractionRequired and code: TokenIssuedBeforeRevocationTimestamp", {
      "WWW-Authenticate": bearerChallenge(ctx, `, error="insufficient_claims", claims="${caeClaimsChallenge(revokedAt)}"`),
    });
    return undefined;
  }
  const scp = typeof payload.scp === "string" ? payload.scp.split(" ") : [];
  if (!scp.some((s) => s.toLowerCase() === "user.read")) {
    graphError(ctx, res, facts, 403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.");
    return undefined;
  }
  return user;
}
