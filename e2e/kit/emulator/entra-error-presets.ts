import type { EntraErrorSpec } from "./entra-error.js";

/**
 * Entra errors a test can make `/token` or `/authorize` answer with (`type: "entra_error"` faults).
 * The codes and suberrors follow Microsoft's AADSTS reference and the shapes MSAL parses
 * (msal-common `InteractionRequiredAuthError`: error codes and `suberror`); on `/token` Entra sends
 * these as `invalid_grant` + AADSTS code, on `/authorize` as the OAuth error in the redirect.
 */
const ENTRA_ERROR_PRESETS = {
  mfa_required: {
    token: "invalid_grant",
    authorize: "interaction_required",
    aadsts: 50076,
    suberror: "basic_action",
    message: "Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access the resource.",
    claims: JSON.stringify({ access_token: { capolids: { essential: true, values: ["00000000-0000-0000-0000-00000000c0a1"] } } }),
  },
  mfa_registration_required: {
    token: "invalid_grant",
    authorize: "interaction_required",
    aadsts: 50079,
    suberror: "basic_action",
    message: "Due to a configuration change made by your administrator, or because you moved to a new location, you must enroll in multi-factor authentication to access the resource.",
  },
  interaction_required: {
    token: "interaction_required",
    authorize: "interaction_required",
    aadsts: 50076,
    suberror: "additional_action",
    message: "Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access the resource.",
  },
  consent_required: {
    token: "invalid_grant",
    authorize: "consent_required",
    aadsts: 65001,
    suberror: "consent_required",
    message: "The user or administrator has not consented to use the application. Send an interactive authorization request for this user and resource.",
  },
  ca_blocked: {
    token: "invalid_grant",
    authorize: "access_denied",
    aadsts: 53003,
    suberror: "message_only",
    message: "Access has been blocked by Conditional Access policies. The access policy does not allow token issuance.",
  },
  refresh_token_expired: {
    token: "invalid_grant",
    authorize: "invalid_grant",
    aadsts: 700082,
    suberror: "bad_token",
    message: "The refresh token has expired due to inactivity.",
  },
  // The redirect URI is registered under the "Web" platform, not "Single-page application": Entra refuses
  // the cross-origin redemption of the code (only /token can say this; the code was issued).
  spa_cross_origin_redemption: {
    token: "invalid_request",
    authorize: "invalid_request",
    aadsts: 9002326,
    message: "Cross-origin token redemption is permitted only for the 'Single-Page Application' client-type.",
  },
} as const satisfies Record<string, { token: string; authorize: string; aadsts: number; message: string; suberror?: string; claims?: string }>;

export type EntraErrorPreset = keyof typeof ENTRA_ERROR_PRESETS;
export const ENTRA_ERROR_PRESET_NAMES = Object.keys(ENTRA_ERROR_PRESETS) as EntraErrorPreset[];

/** The custom or preset error of an `entra_error` fault, as the given endpoint answers it. */
export interface EntraErrorFault {
  preset?: EntraErrorPreset;
  error?: string;
  aadsts?: number;
  suberror?: string;
  claims?: string;
  message?: string;
  status?: number;
}

export function entraErrorFor(fault: EntraErrorFault, endpoint: "token" | "authorize"): EntraErrorSpec {
  const preset = fault.preset ? ENTRA_ERROR_PRESETS[fault.preset] : undefined;
  const suberror = fault.suberror ?? (preset && "suberror" in preset ? preset.suberror : undefined);
  const claims = fault.claims ?? (preset && "claims" in preset ? preset.claims : undefined);
  return {
    status: fault.status ?? 400,
    error: fault.error ?? preset?.[endpoint] ?? "invalid_request",
    aadsts: fault.aadsts ?? preset?.aadsts ?? 90014,
    message: fault.message ?? preset?.message ?? "The request was rejected by a test fault.",
    ...(suberror ? { suberror } : {}),
    ...(claims ? { claims } : {}),
  };
}
