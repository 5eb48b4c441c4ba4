import type { ServerResponse } from "node:http";
import { sendEntraError, type EmulatorContext, type RequestFacts } from "./context.js";
import { GRAPH_ENDPOINTS, retryAfterHeader, type ActiveFault } from "./faults.js";
import { corsHeaders, sendHtml, sendText } from "./http-util.js";
import { renderMessagePage } from "./routes/login-page.js";
import { graphError } from "./routes/graph-auth.js";

/**
 * Answers a `status` fault in the shape of the faulted endpoint. Entra's STS front end throttles
 * with HTTP 429, `Retry-After: 60` and the plain-text body "Too Many Requests" (not JSON, which is
 * why MSAL reports `failed_to_parse_response` on it); `body: "json"` gives the AADSTS90055 variant.
 */
export function sendFaultStatus(ctx: EmulatorContext, res: ServerResponse, facts: RequestFacts, fault: ActiveFault): void {
  const status = fault.status ?? 503;
  const headers = retryAfterHeader(fault.retryAfter, status);
  const throttled = status === 429;
  if (GRAPH_ENDPOINTS.includes(facts.endpoint)) {
    // Graph's own JSON error (not Entra's text/plain 429); the SDKs' RetryHandlers read Retry-After.
    return graphError(ctx, res, facts, status, throttled ? "TooManyRequests" : "ServiceUnavailable", throttled ? "Too many requests." : "The service is temporarily unavailable.", headers);
  }
  if (facts.endpoint === "authorize" || facts.endpoint === "logout") {
    facts.error = throttled ? "temporarily_unavailable" : "server_error";
    return sendHtml(res, status, renderMessagePage("Sorry, but we're having trouble signing you in.", `HTTP ${status}: the service is temporarily unavailable.`), headers);
  }
  if (throttled && fault.body !== "json") {
    facts.error = "too_many_requests";
    return sendText(res, status, "Too Many Requests", { ...corsHeaders(facts.origin), ...headers });
  }
  const spec = throttled
    ? { status, error: "temporarily_unavailable", aadsts: 90055, message: "There are too many incoming requests. Please try again later." }
    : { status, error: status === 503 ? "temporarily_unavailable" : "server_error", aadsts: 90033, message: "A transient error has occurred. Please try again." };
  sendEntraError(ctx, res, facts, spec, headers);
}
