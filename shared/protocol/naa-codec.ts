import * as v from "valibot";
import type { AccountInfo, TokenRequest } from "../chain/broker-types.js";
import { AuthShellError } from "../errors.js";
import {
  NAA_MAX_REQUEST_CHARS,
  NAA_MAX_REQUEST_ID_CHARS,
  NAA_METHODS,
  NAA_REQUEST_TYPE,
  NAA_RESPONSE_TYPE,
  type NaaAccountContext,
  type NaaAccountInfo,
  type NaaRequest,
  type NaaResponse,
} from "./naa-wire.js";
import { toNaaBridgeError } from "./naa-status.js";

const id = v.pipe(v.string(), v.minLength(1), v.maxLength(NAA_MAX_REQUEST_ID_CHARS));
const text = (max: number) => v.pipe(v.string(), v.maxLength(max));

const TokenParamsSchema = v.object({
  clientId: id,
  scope: text(4096),
  correlationId: text(256),
  platformBrokerId: v.optional(text(1024)),
  loginHint: v.optional(text(256)),
  authority: v.optional(text(2048)),
  resource: v.optional(text(2048)),
  claims: v.optional(text(16 * 1024)),
  state: v.optional(text(4096)),
  authenticationScheme: v.optional(text(32)),
  extendedExpiryToken: v.optional(v.boolean()),
  extraParameters: v.optional(v.record(text(256), text(4096))),
  forceRefresh: v.optional(v.boolean()),
});

const RequestSchema = v.object({
  messageType: v.literal(NAA_REQUEST_TYPE),
  method: v.picklist(NAA_METHODS),
  requestId: id,
  sendTime: v.optional(v.pipe(v.number(), v.finite())),
  clientLibrary: v.optional(text(128)),
  clientLibraryVersion: v.optional(text(64)),
  tokenParams: v.optional(TokenParamsSchema),
});

function invalid(message: string): AuthShellError {
  return new AuthShellError("invalid_request", message);
}

/**
 * Parses and validates one bridge request string from a page. Unknown fields are dropped (the
 * payload is rebuilt), token methods must carry `tokenParams`, and only Bearer is supported.
 */
export function parseNaaRequest(json: string): NaaRequest | AuthShellError {
  if (typeof json !== "string") return invalid("The bridge request must be a string");
  if (json.length > NAA_MAX_REQUEST_CHARS) return invalid("The bridge request is too large");
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    return invalid("The bridge request is not JSON");
  }
  const result = v.safeParse(RequestSchema, raw);
  if (!result.success) {
    const path = v.getDotPath(result.issues[0]) ?? "request";
    return invalid(`The bridge request is malformed at ${path}`);
  }
  const request = result.output as NaaRequest;
  if (request.method !== "GetInitContext") {
    const params = request.tokenParams;
    if (!params) return invalid("A token request needs tokenParams");
    if (!params.scope.trim()) return invalid("A token request needs at least one scope");
    // A claims request that is not a JSON object is refused here, as MSAL itself refuses it
    // (invalid_claims); otherwise it was read as "no challenge" and the page served as if it had none.
    if (params.claims !== undefined && params.claims.trim() !== "" && !isJsonObject(params.claims)) {
      return invalid("The claims request must be a JSON object");
    }
    const scheme = params.authenticationScheme;
    if (scheme !== undefined && scheme.toLowerCase() !== "bearer") {
      return invalid(`Authentication scheme ${scheme} is not supported`);
    }
  }
  return request;
}

function isJsonObject(text: string): boolean {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed);
  } catch {
    return false;
  }
}

/** The `requestId` of a request string, if it has a plausible one (to answer even a bad request). */
export function peekRequestId(json: string): string | undefined {
  if (typeof json !== "string" || json.length > NAA_MAX_REQUEST_CHARS) return undefined;
  try {
    const raw = JSON.parse(json) as { requestId?: unknown } | null;
    const rid = raw?.requestId;
    return typeof rid === "string" && rid.length > 0 && rid.length <= NAA_MAX_REQUEST_ID_CHARS ? rid : undefined;
  } catch {
    return undefined;
  }
}

/** The account as the broker knows it: the chain's AccountInfo (a type-only dependency). */
type NaaAccountSource = AccountInfo;

/** The token as the broker returns it (structurally the chain's TokenResult). */
export interface NaaTokenSource {
  accessToken: string;
  idToken: string;
  scopes: string[];
  expiresOn: number;
  extExpiresOn?: number;
  account: NaaAccountSource;
  authority?: string;
}

function toNaaAccount(account: NaaAccountSource): NaaAccountInfo {
  const out: NaaAccountInfo = {
    homeAccountId: account.homeAccountId,
    environment: account.environment,
    tenantId: account.tenantId,
    username: account.username,
    localAccountId: account.localAccountId,
    loginHint: account.username,
  };
  if (account.name !== undefined) out.name = account.name;
  if (account.idTokenClaims) out.idTokenClaims = account.idTokenClaims;
  return out;
}

/** A success response string for GetToken / GetTokenPopup; `now` turns expiresOn into expires_in. */
export function buildNaaSuccess(requestId: string, token: NaaTokenSource, now: number): string {
  const response: NaaResponse = {
    messageType: NAA_RESPONSE_TYPE,
    requestId,
    success: true,
    token: {
      access_token: token.accessToken,
      expires_in: Math.max(0, Math.floor((token.expiresOn - now) / 1000)),
      id_token: token.idToken,
      properties: null,
      scope: token.scopes.join(" "),
      ...(token.authority ? { authority: token.authority } : {}),
    },
    account: toNaaAccount(token.account),
  };
  return JSON.stringify(response);
}

/** An error response string (see `toNaaBridgeError` for the status mapping). */
export function buildNaaError(requestId: string, error: AuthShellError): string {
  const response: NaaResponse = {
    messageType: NAA_RESPONSE_TYPE,
    requestId,
    success: false,
    error: toNaaBridgeError(error),
  };
  return JSON.stringify(response);
}

export interface InitContextInput {
  sdkName: string;
  sdkVersion: string;
  /** The signed-in account MSAL should boot with, if any. */
  account?: { homeAccountId: string; environment: string; tenantId: string };
}

/** The GetInitContext response string. */
export function buildInitContext(requestId: string, input: InitContextInput): string {
  const initContext: NaaResponse["initContext"] = {
    capabilities: { queryAccount: false },
    sdkName: input.sdkName,
    sdkVersion: input.sdkVersion,
  };
  if (input.account) {
    const accountContext: NaaAccountContext = {
      homeAccountId: input.account.homeAccountId,
      environment: input.account.environment,
      tenantId: input.account.tenantId,
    };
    initContext.accountContext = accountContext;
  }
  const response: NaaResponse = { messageType: NAA_RESPONSE_TYPE, requestId, success: true, initContext };
  return JSON.stringify(response);
}

/**
 * The broker request a GetToken / GetTokenPopup asks for. Only GetTokenPopup may prompt. The page's
 * `authority` is ignored on purpose: the broker decides the authority from its own configuration
 * and the grant (docs/architecture.md, "The bridge").
 */
export function toTokenRequest(request: NaaRequest): TokenRequest | AuthShellError {
  const params = request.tokenParams;
  if (request.method === "GetInitContext" || !params) return invalid("Not a token request");
  const out: TokenRequest = {
    scopes: params.scope.split(/\s+/).filter(Boolean),
    clientId: params.clientId,
    allowInteraction: request.method === "GetTokenPopup",
  };
  if (params.claims) out.claims = params.claims;
  if (params.forceRefresh) out.forceRefresh = true;
  if (params.platformBrokerId) out.homeAccountId = params.platformBrokerId;
  // msal-browser names the account by platformBrokerId only; other bridge callers may name it by
  // login hint, top-level (as NAA hosts' TokenRequest has it) or as the OAuth extra parameter.
  const loginHint = params.loginHint || params.extraParameters?.login_hint;
  if (loginHint?.trim()) out.loginHint = loginHint.trim();
  if (params.correlationId) out.correlationId = params.correlationId;
  return out;
}
