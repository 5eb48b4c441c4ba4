/**
 * AuthorizeFlow over chrome.identity.launchWebAuthFlow. `interactive:false` runs `prompt=none` with no
 * UI and gives up after the first page load; `interactive:true` opens the sign-in window. Browser
 * errors become AuthShellError codes the acquisition chain understands.
 */
import { AuthShellError } from "../../shared/errors.js";
import type { AuthorizeFlow } from "../../shared/ports.js";

const SILENT_FLOW_TIMEOUT_MS = 10_000;

type LaunchWebAuthFlow = (details: chrome.identity.WebAuthFlowDetails) => Promise<string | undefined>;

export function mapWebAuthFlowError(error: unknown, interactive: boolean): AuthShellError {
  const message = error instanceof Error ? error.message : String(error);
  const lower = message.toLowerCase();
  if (lower.includes("did not approve") || lower.includes("canceled") || lower.includes("cancelled")) {
    return interactive
      ? new AuthShellError("user_cancelled", "The sign-in window was closed")
      : new AuthShellError("interaction_required", "Silent sign-in needs user interaction");
  }
  if (lower.includes("interaction required")) {
    return new AuthShellError("interaction_required", "Silent sign-in needs user interaction");
  }
  if (lower.includes("timed out") || lower.includes("timeout")) {
    return new AuthShellError("timeout", "The sign-in flow timed out", { retryable: true });
  }
  if (lower.includes("could not be loaded")) {
    // Chrome says this for a 429 or 5xx sign-in page as for a network failure, and hides which.
    // Silently, the likely cause is the IdP (throttled or down): pages are told TRANSIENT_ERROR with
    // the backoff's wait, not NO_NETWORK while their own network is fine (issue 12).
    return interactive
      ? new AuthShellError("network_error", "The sign-in page could not be loaded", { retryable: true })
      : new AuthShellError("idp_unavailable", "The sign-in page could not be loaded (the identity provider is throttling, failing or unreachable)", { retryable: true });
  }
  return new AuthShellError(interactive ? "user_cancelled" : "interaction_required", `Sign-in flow failed: ${message}`);
}

export function createIdentityAuthorizeFlow(
  launch: LaunchWebAuthFlow = (details) => chrome.identity.launchWebAuthFlow(details),
): AuthorizeFlow {
  return {
    async run(authorizeUrl, { interactive, redirectUri }) {
      const details: chrome.identity.WebAuthFlowDetails = { url: authorizeUrl, interactive };
      if (!interactive) {
        details.abortOnLoadForNonInteractive = true;
        details.timeoutMsForNonInteractive = SILENT_FLOW_TIMEOUT_MS;
      }
      let redirected: string | undefined;
      try {
        redirected = await launch(details);
      } catch (error) {
        throw mapWebAuthFlowError(error, interactive);
      }
      if (!redirected || !redirected.startsWith(redirectUri)) {
        throw new AuthShellError("invalid_response", "The sign-in flow did not return to the redirect URI");
      }
      return redirected;
    },
  };
}
