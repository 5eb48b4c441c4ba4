/**
 * The Nested App Auth wire format as @azure/msal-browser (5.30, src/naa/) speaks it over
 * the page's `nestedAppAuthBridge` global — types and constants only, no runtime dependencies, so the
 * MAIN-world bridge script can import it and stay tiny. Both directions are JSON strings.
 */

export const NAA_REQUEST_TYPE = "NestedAppAuthRequest";
export const NAA_RESPONSE_TYPE = "NestedAppAuthResponse";
/** The bridge methods msal-browser calls; the one list every layer checks against. */
export const NAA_METHODS = ["GetInitContext", "GetToken", "GetTokenPopup"] as const;
type NaaMethod = (typeof NAA_METHODS)[number];

// The bridge's size and retry limits, in one place for the bridge, the relay and the codec. Separate
// constants, not one object: a bundler inlines a constant but keeps a whole object for one property,
// and the content scripts have byte budgets (.size-limit.js).
/** Largest request string the bridge, the relay and the worker accept (characters). */
export const NAA_MAX_REQUEST_CHARS = 64 * 1024;
/** Longest requestId (MSAL uses GUIDs). */
export const NAA_MAX_REQUEST_ID_CHARS = 256;
/** How often the relay sends a request whose Port died with it in flight (the worker was killed). */
export const NAA_MAX_SEND_ATTEMPTS = 2;

export const NaaStatus = {
  UserInteractionRequired: "USER_INTERACTION_REQUIRED",
  UserCancel: "USER_CANCEL",
  NoNetwork: "NO_NETWORK",
  TransientError: "TRANSIENT_ERROR",
  PersistentError: "PERSISTENT_ERROR",
  Disabled: "DISABLED",
  AccountUnavailable: "ACCOUNT_UNAVAILABLE",
  NestedAppAuthUnavailable: "NESTED_APP_AUTH_UNAVAILABLE",
} as const;
export type NaaStatusCode = (typeof NaaStatus)[keyof typeof NaaStatus];

/** msal-browser `TokenRequest` (the `tokenParams` of a GetToken / GetTokenPopup request). */
interface NaaTokenParams {
  clientId: string;
  /** Space-separated scopes. */
  scope: string;
  correlationId: string;
  platformBrokerId?: string;
  /** The account's username; not sent by msal-browser (which names it by platformBrokerId). */
  loginHint?: string;
  authority?: string;
  resource?: string;
  claims?: string;
  state?: string;
  authenticationScheme?: string;
  extendedExpiryToken?: boolean;
  /** MSAL sends a `Map`, which JSON-serialises to `{}`; objects of strings are kept. */
  extraParameters?: Record<string, string>;
  forceRefresh?: boolean;
}

/** msal-browser `BridgeRequestEnvelope`. */
export interface NaaRequest {
  messageType: typeof NAA_REQUEST_TYPE;
  method: NaaMethod;
  requestId: string;
  sendTime?: number;
  clientLibrary?: string;
  clientLibraryVersion?: string;
  tokenParams?: NaaTokenParams;
}

/** msal-browser `TokenResponse`: MSAL computes expiresOn = its request time (s) + expires_in. */
interface NaaTokenResponse {
  access_token: string;
  expires_in: number;
  id_token: string;
  properties: Record<string, string> | null;
  scope?: string;
  extendedLifetimeToken?: boolean;
  authority?: string;
}

/** msal-browser NAA `AccountInfo`. */
export interface NaaAccountInfo {
  homeAccountId?: string;
  environment: string;
  tenantId?: string;
  username: string;
  localAccountId?: string;
  name?: string;
  idTokenClaims?: Record<string, unknown>;
  loginHint?: string;
}

export interface NaaAccountContext {
  homeAccountId: string;
  environment: string;
  tenantId: string;
}

interface NaaInitContext {
  capabilities?: { queryAccount?: boolean };
  sdkName: string;
  sdkVersion: string;
  accountContext?: NaaAccountContext;
}

/** msal-browser `BridgeError`. */
export interface NaaBridgeError {
  status: NaaStatusCode;
  code?: string;
  subError?: string;
  description?: string;
  properties?: Record<string, string | number | boolean>;
}

/** msal-browser `BridgeResponseEnvelope` (MSAL reads `success`, then `token`+`account`, `initContext` or `error`). */
export interface NaaResponse {
  messageType: typeof NAA_RESPONSE_TYPE;
  requestId: string;
  success: boolean;
  token?: NaaTokenResponse;
  account?: NaaAccountInfo;
  initContext?: NaaInitContext;
  error?: NaaBridgeError;
}
