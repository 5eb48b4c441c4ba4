import type { IncomingMessage, ServerResponse } from "node:http";
import type { EmulatorContext, RequestFacts } from "../context.js";
import { BodyTooLargeError, isJsonContentType, readBody } from "../http-util.js";
import { authenticateGraph, graphError, graphJson } from "./graph-auth.js";

/**
 * `POST /v1.0/me/getMemberObjects` `{securityEnabledOnly}`: the IDs of every group the signed-in user
 * is in (transitively), in one answer, as Graph gives them (up to its 11 000 limit). What a client
 * calls when the ID token carries the groups overage claim.
 */
export async function graphGetMemberObjects(ctx: EmulatorContext, req: IncomingMessage, res: ServerResponse, facts: RequestFacts): Promise<void> {
  const user = await authenticateGraph(ctx, req, res, facts);
  if (!user) return;
  if (!isJsonContentType(req)) {
    return graphError(ctx, res, facts, 415, "UnsupportedMediaType", "The request body must be application/json.");
  }
  let body: unknown;
  try {
    body = JSON.parse(await readBody(req));
  } catch (error) {
    if (error instanceof BodyTooLargeError) return graphError(ctx, res, facts, 413, "Request_BadRequest", "The request body is too large.");
    return graphError(ctx, res, facts, 400, "Request_BadRequest", "The request body is not valid JSON.");
  }
  const securityEnabledOnly = (body as { securityEnabledOnly?: unknown } | null)?.securityEnabledOnly;
  if (typeof securityEnabledOnly !== "boolean") {
    return graphError(ctx, res, facts, 400, "Request_BadRequest", "The parameter 'securityEnabledOnly' is required and must be a boolean.");
  }
  // Every group of the emulator's users is a security group: the flag changes nothing here.
  graphJson(res, facts, { "@odata.context": `${ctx.url}/v1.0/$metadata#Collection(Edm.String)`, value: [...user.groups] });
}

const DEFAULT_PAGE = 100;
const MAX_PAGE = 999;

/**
 * `GET /v1.0/me/transitiveMemberOf`: the user's groups as directory objects, paged as Graph pages
 * them (`$top` 1–999, default 100; `@odata.nextLink` with an opaque `$skiptoken`).
 */
export async function graphTransitiveMemberOf(ctx: EmulatorContext, req: IncomingMessage, res: ServerResponse, facts: RequestFacts, query: URLSearchParams): Promise<void> {
  const user = await authenticateGraph(ctx, req, res, facts);
  if (!user) return;
  const topParam = query.get("$top");
  const top = topParam === null ? DEFAULT_PAGE : Number(topParam);
  if (!Number.isInteger(top) || top < 1 || top > MAX_PAGE) {
    return graphError(ctx, res, facts, 400, "Request_BadRequest", `Invalid page size specified: '${String(topParam).slice(0, 20)}'. Must be between 1 and ${MAX_PAGE} inclusive.`);
  }
  const skipToken = query.get("$skiptoken");
  const offset = skipToken === null ? 0 : Number(Buffer.from(skipToken, "base64url").toString("utf8"));
  if (!Number.isInteger(offset) || offset < 0 || offset > user.groups.length) {
    return graphError(ctx, res, facts, 400, "Directory_InvalidSkipToken", "The skip token is not valid.");
  }
  const page = user.groups.slice(offset, offset + top);
  const next = offset + page.length;
  const nextLink = new URL(`${ctx.url}/v1.0/me/transitiveMemberOf`);
  if (topParam !== null) nextLink.searchParams.set("$top", String(top));
  nextLink.searchParams.set("$skiptoken", Buffer.from(String(next)).toString("base64url"));
  graphJson(res, facts, {
    "@odata.context": `${ctx.url}/v1.0/$metadata#directoryObjects`,
    ...(next < user.groups.length ? { "@odata.nextLink": nextLink.href } : {}),
    value: page.map((id, i) => ({
      "@odata.type": "#microsoft.graph.group",
      id,
      displayName: `Group ${offset + i + 1}`,
      securityEnabled: true,
      mailEnabled: false,
      groupTypes: [],
    })),
  });
}
