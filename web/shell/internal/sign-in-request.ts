import type { AccountInfo, PopupRequest } from "@azure/msal-browser";

export interface SignInRequestInput {
  scopes: string[];
  claims?: string;
  /** The account this app is signed in with, if any. */
  account: AccountInfo | null;
  /** The person signed out of this app since it loaded (and has not signed in again). */
  afterSignOut: boolean;
}

/**
 * The popup request of an interactive sign-in. Right after a sign-out the IdP still has its session,
 * and without a prompt it would sign the same account straight back in — so that sign-in asks for
 * `prompt=select_account` (Entra's account picker) and the person chooses, possibly another account.
 * An app still signed in keeps its account (a claims challenge, more scopes): no picker.
 */
export function signInRequest(input: SignInRequestInput): PopupRequest {
  return {
    scopes: input.scopes,
    ...(input.claims ? { claims: input.claims } : {}),
    ...(input.account ? { account: input.account } : input.afterSignOut ? { prompt: "select_account" } : {}),
  };
}
