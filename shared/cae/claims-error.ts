import { AuthShellError } from "../errors.js";

/**
 * The error of a token request made to answer a claims challenge, carrying the claims: a caller that
 * gets `interaction_required` passes them on to an interactive sign-in (which must ask for them).
 */
export function withChallengeClaims(error: unknown, claims: string): AuthShellError {
  const failure = AuthShellError.from(error);
  return failure.claims !== undefined ? failure : new AuthShellError(failure.code, failure.message, { ...failure.toPlain(), claims, cause: error });
}
