/**
 * AuthorizeFlow over identity.launchWebAuthFlow, on Chromium and Firefox. `interactive:false` runs
 * `prompt=none` with no UI; `interactive:true` opens the sign-in window. Browser errors become
 * AuthShellError codes the acquisition chain understands. A failed silent flow whose error hides the
 * IdP's status (authorize-probe.ts) is looked at once more without cookies, so a 429 reaches the
 * Retry-After gate with its wait and a 5xx or unreachable IdP the backoff — never a sign-in window
 * or "sign-in needed".
 */
import { AuthShellError } from "../../shared/errors.js";
import type { AuthorizeFlow } from "../../shared/ports.js";
import { webAuthFlowDetails, type Engine } from "../platform/browser-api.js";
import type { ProbeVerdict } from "./authorize-probe.js";

type LaunchWebAuthFlow = (details: chrome.identity.WebAuthFlowDetails) => Promise<string | undefined>;

export function mapWebAuthFlowError(error: unknown, interactive: boolean): AuthShellError {
  const message = error instanceof Error ? error.message : String(error);
  const lower = message.toLowerCase();
  if (lower.includes("did not approve") || lower.includes("canceled") || lower.includes("cancelled")) {
    return interactive
      ? new AuthShellError("user_cancelled", "The sign-in window was closed")
      : new AuthShellError("interaction_required", "Silent sign-in needs user interaction");
  }
  // Chromium: "User interaction required."; Firefox: "Requires user interaction" (for any failure).
  if (lower.includes("interaction required") || lower.includes("requires user interaction")) {
    return new AuthShellError("interaction_required", "Silent sign-in needs user interaction");
  }
  // The browser refused the call itself (an option it does not know): a bug here, not the IdP's doing,
  // and never a timeout — Firefox's text names "timeoutMsForNonInteractive".
  if (lower.includes("unexpected propert") || lower.includes("type error for parameter")) {
    return new AuthShellError("internal_error", `The browser refused the sign-in flow: ${message}`);
  }
  if (lower.includes("timed out")) {
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

/** The silent answers that hide the IdP's status on each engine. */
function hidesIdpStatus(error: AuthShellError, engine: Engine): boolean {
  return engine === "firefox" ? error.code === "interaction_required" : error.code === "idp_unavailable";
}

/** The silent flow's error once the probe has shown what the IdP really answered. */
function classifySilentFailure(error: AuthShellError, verdict: ProbeVerdict): AuthShellError {
  switch (verdict.kind) {
    case "throttled":
      return new AuthShellError("throttled", "The sign-in endpoint is throttling requests (429)", {
        retryable: true,
        retryAfterMs: verdict.retryAfterMs,
        cause: error,
      });
    case "unavailable":
      return new AuthShellError(
        "idp_unavailable",
        verdict.status ? `The sign-in endpoint is failing (${verdict.status})` : "The sign-in endpoint is unreachable",
        { retryable: true, cause: error },
      );
    default:
      return error;
  }
}

export interface IdentityFlowDeps {
  launch: LaunchWebAuthFlow;
  engine: Engine;
  /** One cookie-less look at the authorize URL (authorize-probe.ts); none = the engine's answer stands. */
  probe?(authorizeUrl: string): Promise<ProbeVerdict>;
}

export function createIdentityAuthorizeFlow(deps: IdentityFlowDeps): AuthorizeFlow {
  return {
    async run(authorizeUrl, { interactive, redirectUri }) {
      let redirected: string | undefined;
      try {
        redirected = await deps.launch(webAuthFlowDetails(authorizeUrl, interactive, deps.engine));
      } catch (error) {
        const mapped = mapWebAuthFlowError(error, interactive);
        if (interactive || !deps.probe || !hidesIdpStatus(mapped, deps.engine)) throw mapped;
        throw classifySilentFailure(mapped, await deps.probe(authorizeUrl));
      }
      if (!redirected || !redirected.startsWith(redirectUri)) {
        throw new AuthShellError("invalid_response", "The sign-in flow did not return to the redirect URI");
      }
      return redirected;
    },
  };
}
