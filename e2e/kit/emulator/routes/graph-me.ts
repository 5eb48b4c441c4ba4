import type { IncomingMessage, ServerResponse } from "node:http";
import type { EmulatorContext, RequestFacts } from "../context.js";
import { authenticateGraph, graphJson } from "./graph-auth.js";

/** `GET /v1.0/me`: the signed-in user's profile. */
export async function graphMe(ctx: EmulatorContext, req: IncomingMessage, res: ServerResponse, facts: RequestFacts): Promise<void> {
  const user = await authenticateGraph(ctx, req, res, facts);
  if (!user) return;
  graphJson(res, facts, {
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
  });
}
