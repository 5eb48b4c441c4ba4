/**
 * One served token as the activity record keeps it: built from the broker's result's token-free
 * fields only, so no token value can reach the record by mistake.
 */
import type { TokenResult } from "../../shared/chain/broker-types.js";
import type { ActivityEntry } from "../protocol/views.js";

/** Who a token was served to, beside what the broker's result says. */
export interface ServedTo {
  caller: ActivityEntry["caller"];
  origin: string;
  frameOrigin: string;
  clientId: string;
}

/** The record of one served token: the result's token-free facts only (never `accessToken` or `idToken`). */
export function activityEntry(result: Pick<TokenResult, "scopes" | "account" | "source" | "correlationId">, to: ServedTo, at: number): ActivityEntry {
  return {
    at,
    caller: to.caller,
    origin: to.origin,
    frameOrigin: to.frameOrigin,
    clientId: to.clientId,
    scopes: [...result.scopes],
    homeAccountId: result.account.homeAccountId,
    username: result.account.username,
    source: result.source,
    correlationId: result.correlationId,
  };
}
