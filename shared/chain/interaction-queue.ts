import { AuthShellError } from "../errors.js";
import type { TokenResult } from "./broker-types.js";

/** How the sign-in window that a request waited behind ended. */
export type InteractionOutcome = { homeAccountId: string } | { error: AuthShellError };

/**
 * One sign-in window at a time for the whole broker. The browser allows a single auth flow
 * (Chrome refuses a second `launchWebAuthFlow`: "Only one web auth flow is allowed at a time"), and
 * a person can answer only one window anyway: requests that need a prompt while one is open wait for
 * it, then are served from the sign-in it produced (InteractiveStep) or told why not.
 */
export class InteractionQueue {
  private current: Promise<InteractionOutcome> | undefined;

  /** The sign-in in progress, if any; resolves (never rejects) when it ends. */
  inProgress(): Promise<InteractionOutcome> | undefined {
    return this.current;
  }

  /** Runs `prompt` once no other sign-in is in progress. */
  async run(prompt: () => Promise<TokenResult>): Promise<TokenResult> {
    while (this.current) await this.current;
    let settle!: (outcome: InteractionOutcome) => void;
    this.current = new Promise((resolve) => (settle = resolve));
    try {
      const result = await prompt();
      settle({ homeAccountId: result.account.homeAccountId });
      return result;
    } catch (error) {
      settle({ error: AuthShellError.from(error) });
      throw error;
    } finally {
      this.current = undefined;
    }
  }
}
