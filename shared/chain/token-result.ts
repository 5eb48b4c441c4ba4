import type { AccessTokenEntry, AccountEntry, IdTokenEntry } from "../cache/cache-entries.js";
import type { AcquisitionContext } from "./acquisition-step.js";
import type { AccountInfo, TokenResult, TokenSource } from "./broker-types.js";

export function toAccountInfo(account: AccountEntry, idToken?: IdTokenEntry): AccountInfo {
  const info: AccountInfo = {
    homeAccountId: account.homeAccountId,
    localAccountId: account.localAccountId,
    tenantId: account.tenantId,
    username: account.username,
    environment: account.environment,
  };
  if (account.name !== undefined) info.name = account.name;
  if (idToken) info.idTokenClaims = { ...idToken.claims };
  return info;
}

export function buildTokenResult(
  context: AcquisitionContext,
  accessToken: AccessTokenEntry,
  account: AccountEntry,
  source: TokenSource,
): TokenResult {
  const idToken = context.services.cache.getIdToken(account.homeAccountId, accessToken.authority, accessToken.clientId);
  return {
    accessToken: accessToken.secret,
    idToken: idToken?.secret ?? "",
    tokenType: "Bearer",
    scopes: [...accessToken.scopes],
    expiresOn: accessToken.expiresOn,
    extExpiresOn: accessToken.extExpiresOn,
    refreshOn: accessToken.refreshOn,
    account: toAccountInfo(account, idToken),
    source,
    correlationId: context.correlationId,
  };
}
