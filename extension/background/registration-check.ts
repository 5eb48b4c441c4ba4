/**
 * "Check registration" (options page): one silent sign-in flow against the configured tenant, whose
 * answer becomes the exact change to make in the Entra admin center. Entra answers a wrong client ID
 * (AADSTS700016) or redirect URI (AADSTS50011) with an error page instead of a redirect, which a
 * silent flow cannot show: that page is then read with a plain fetch (the options page asked for host
 * access to the authority first). Consent (65001) comes back as a redirect; a redirect URI registered
 * as "Web" instead of "Single-page application" (9002326) only shows when a code is redeemed. Tokens
 * that a successful redemption returns are dropped unread — the check never stores or shows one.
 */
import { parseAuthority } from "../../shared/oidc/authority.js";
import { buildAuthorizeUrl } from "../../shared/oidc/authorize-url.js";
import { aadstsCodeOf } from "../../shared/oidc/entra-errors.js";
import { createPkcePair, randomUrlSafeString, randomUuid } from "../../shared/oidc/pkce.js";
import { webCrypto, webRandom } from "../../shared/platform/web-crypto.js";
import type { RegistrationReport } from "../protocol/ui-channel.js";
import type { ConfigView } from "../protocol/views.js";
import type { Say } from "../../shared/config/validate-settings.js";
import { webAuthFlowDetails, type Engine } from "../platform/browser-api.js";

export interface RegistrationPorts {
  launch: (details: chrome.identity.WebAuthFlowDetails) => Promise<string | undefined>;
  /** Which engine's launchWebAuthFlow options to use (Firefox refuses Chromium's). */
  engine: Engine;
  fetch: (url: string, init: RequestInit) => Promise<{ text(): Promise<string> }>;
  say: Say;
}

/** Answers that mean "client ID and redirect URI accepted, but nobody is signed in". */
const NO_SESSION = new Set(["login_required", "interaction_required", "account_selection_required"]);

/** "AADSTS700016: Application with identifier … Trace ID: …" → "Application with identifier …". */
function firstSentence(description: string): string {
  return description.replace(/^AADSTS\d+:\s*/, "").split(/\s+Trace ID:/)[0]!.trim().slice(0, 300);
}

export async function checkRegistration(config: ConfigView, ports: RegistrationPorts): Promise<RegistrationReport> {
  const { say } = ports;
  const authority = parseAuthority(config.authority);
  const report = (aadsts: number | undefined, description = ""): RegistrationReport => {
    switch (aadsts) {
      case 50011:
        return { outcome: "problem", aadsts, sentence: say("options_check_50011", config.redirectUri) };
      case 700016:
        return { outcome: "problem", aadsts, sentence: say("options_check_700016", config.clientId, authority.tenant) };
      case 9002326:
        return { outcome: "problem", aadsts, sentence: say("options_check_9002326", config.redirectUri) };
      case 65001:
        return { outcome: "problem", aadsts, sentence: say("options_check_65001", config.defaultScopes.join(" ")) };
      case undefined:
        return { outcome: "unknown", sentence: say("options_check_page", config.clientId, config.redirectUri) };
      default:
        return { outcome: "problem", aadsts, sentence: say("options_check_other", String(aadsts), firstSentence(description)) };
    }
  };

  const pkce = await createPkcePair(webRandom, webCrypto);
  const url = buildAuthorizeUrl({
    authority,
    clientId: config.clientId,
    redirectUri: config.redirectUri,
    scopes: config.defaultScopes,
    state: randomUrlSafeString(webRandom, 16),
    nonce: randomUrlSafeString(webRandom, 16),
    codeChallenge: pkce.challenge,
    prompt: "none",
    correlationId: randomUuid(webRandom),
  });

  let redirected: string | undefined;
  try {
    redirected = await ports.launch(webAuthFlowDetails(url, false, ports.engine));
  } catch (error) {
    // No redirect: Entra's error page (Chrome reports a 400 page as "could not be loaded", Firefox as
    // "Requires user interaction") or no network.
    // Read the page to learn which code it shows; a fetch that fails means the authority is unreachable.
    const message = error instanceof Error ? error.message : String(error);
    let page: string;
    try {
      page = await (await ports.fetch(url, { credentials: "omit", redirect: "manual" })).text();
    } catch {
      return /could not be loaded/i.test(message) ? { outcome: "problem", sentence: say("options_check_unreachable", authority.host, message) } : report(undefined);
    }
    const match = /AADSTS(\d{4,7})[:\s]+([^<]*)/.exec(page);
    return report(match ? Number(match[1]) : undefined, match?.[2] ?? "");
  }
  if (!redirected?.startsWith(config.redirectUri)) return report(undefined);
  const answer = new URL(redirected);
  const params = new URLSearchParams(answer.hash.slice(1) || answer.search.slice(1));
  const error = params.get("error");
  if (error) {
    const description = params.get("error_description") ?? "";
    const aadsts = aadstsCodeOf({ error, error_description: description });
    if (error === "consent_required") return report(65001, description);
    if (NO_SESSION.has(error) && aadsts !== 65001) return { outcome: "ok", sentence: say("options_check_ok_signed_out", config.clientId) };
    return report(aadsts ?? 0, description || error);
  }
  const code = params.get("code");
  if (!code) return report(undefined);
  // Redeem the code as the broker would (cross-origin, PKCE): 9002326 shows only here.
  let body: Record<string, unknown>;
  try {
    const response = await ports.fetch(authority.tokenEndpoint, {
      method: "POST",
      credentials: "omit",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        client_id: config.clientId,
        grant_type: "authorization_code",
        code,
        redirect_uri: config.redirectUri,
        code_verifier: pkce.verifier,
        scope: ["openid", "profile", "offline_access", ...config.defaultScopes].join(" "),
      }).toString(),
    });
    body = JSON.parse(await response.text()) as Record<string, unknown>;
  } catch (cause) {
    return { outcome: "problem", sentence: say("options_check_unreachable", authority.host, cause instanceof Error ? cause.message : String(cause)) };
  }
  if (typeof body.error === "string") {
    return report(aadstsCodeOf(body) ?? 0, typeof body.error_description === "string" ? body.error_description : body.error);
  }
  return { outcome: "ok", sentence: say("options_check_ok", config.clientId) };
}
