import type { IncomingMessage, ServerResponse } from "node:http";
import { createHash } from "node:crypto";
import type { EmulatorContext, RequestFacts } from "../context.js";
import { entraErrorBody, type EntraErrorSpec } from "../entra-error.js";
import { BodyTooLargeError, isFormContentType, parseCookies, parseForm, readBody, redirect, sendHtml } from "../http-util.js";
import type { Session } from "../sessions.js";
import { clientInfoFor } from "../tokens.js";
import { findUser } from "../users.js";
import { LOOP_DETECTED } from "../loop-detector.js";
import { validateAuthorize, type AuthorizeRequest, type ResponseMode } from "./authorize-request.js";
import { renderFormPost, renderLoginPage, renderMessagePage } from "./login-page.js";

const FRAME_DENY = { "X-Frame-Options": "DENY", "Content-Security-Policy": "frame-ancestors 'none'" };

function respondToRedirectUri(res: ServerResponse, redirectUri: string, mode: ResponseMode, params: URLSearchParams, headers: Record<string, string | string[]> = {}): void {
  if (mode === "form_post") {
    sendHtml(res, 200, renderFormPost(redirectUri, params), headers as Record<string, string>);
    return;
  }
  if (mode === "fragment") return redirect(res, `${redirectUri.split("#")[0]}#${params}`, headers);
  const separator = redirectUri.includes("?") ? "&" : "?";
  redirect(res, `${redirectUri}${separator}${params}`, headers);
}

function redirectError(ctx: EmulatorContext, res: ServerResponse, facts: RequestFacts, target: { redirectUri: string; responseMode: ResponseMode; state?: string }, spec: EntraErrorSpec): void {
  facts.error = spec.error;
  const body = entraErrorBody(spec, ctx.now(), facts.correlationId, ctx.url);
  const params = new URLSearchParams({ error: body.error, error_description: body.error_description, error_uri: body.error_uri });
  if (target.state !== undefined) params.set("state", target.state);
  if (body.suberror) params.set("suberror", body.suberror);
  if (body.claims) params.set("claims", body.claims);
  params.set("trace_id", body.trace_id);
  params.set("correlation_id", body.correlation_id);
  respondToRedirectUri(res, target.redirectUri, target.responseMode, params);
}

function errorPage(ctx: EmulatorContext, res: ServerResponse, facts: RequestFacts, spec: EntraErrorSpec): void {
  facts.error = spec.error;
  const body = entraErrorBody(spec, ctx.now(), facts.correlationId, ctx.url);
  sendHtml(res, spec.status, renderMessagePage("Sorry, but we're having trouble signing you in.", body.error_description), FRAME_DENY);
}

function issueCode(ctx: EmulatorContext, res: ServerResponse, facts: RequestFacts, tenant: string, request: AuthorizeRequest, session: Session, setCookie?: string): void {
  const user = findUser(session.username)!;
  facts.username = user.username;
  const code = ctx.codes.issue({
    tenantPath: tenant.toLowerCase(),
    clientId: request.client.clientId,
    redirectUri: request.redirectUri,
    codeChallenge: request.codeChallenge,
    scope: request.scopeParam,
    username: user.username,
    sessionId: session.id,
    authTime: session.authTime,
    nonce: request.nonce,
    cae: request.claims.cp1,
    expiresAt: ctx.now() + ctx.lifetimes.authorizationCodeSeconds * 1000,
  });
  const params = new URLSearchParams({ code });
  if (request.clientInfo) params.set("client_info", clientInfoFor(user, ctx.tenant));
  if (request.state !== undefined) params.set("state", request.state);
  params.set("session_state", createHash("sha256").update(session.id).digest("hex").slice(0, 36));
  respondToRedirectUri(res, request.redirectUri, request.responseMode, params, setCookie ? { "Set-Cookie": setCookie } : {});
}

function showLogin(ctx: EmulatorContext, res: ServerResponse, tenant: string, query: URLSearchParams, request: AuthorizeRequest, username: string, errorMessage?: string): void {
  sendHtml(
    res,
    200,
    renderLoginPage({ action: `/${tenant}/oauth2/v2.0/authorize`, request: query.toString(), username, clientName: request.client.displayName, errorMessage }),
    FRAME_DENY,
  );
}

/**
 * Validates an authorize request (from the query, or the login form's hidden copy of it); on failure
 * answers with the error page or a redirect to the client and returns undefined.
 */
function acceptAuthorize(ctx: EmulatorContext, res: ServerResponse, facts: RequestFacts, tenant: string, query: URLSearchParams): AuthorizeRequest | undefined {
  const validation = validateAuthorize(ctx, tenant, query);
  facts.clientId = query.get("client_id")?.slice(0, 64) ?? undefined;
  if (validation.kind === "page_error") return void errorPage(ctx, res, facts, validation.spec);
  if (validation.kind === "redirect_error") return void redirectError(ctx, res, facts, validation, validation.spec);
  facts.scope = validation.request.scopes.responseScope;
  return validation.request;
}

/** `GET /{tenant}/oauth2/v2.0/authorize` */
export function authorizeGet(ctx: EmulatorContext, req: IncomingMessage, res: ServerResponse, facts: RequestFacts, tenant: string, query: URLSearchParams, fault?: EntraErrorSpec): void {
  const request = acceptAuthorize(ctx, res, facts, tenant, query);
  if (!request) return;
  if (fault) return redirectError(ctx, res, facts, request, fault);
  const session = ctx.sessions.get(parseCookies(req.headers.cookie).get(ctx.sessionCookieName), ctx.now());
  const hintUser = request.loginHint?.trim().toLowerCase();
  const forcesUi = request.prompt !== undefined && request.prompt !== "none";
  const sessionFits = session !== undefined && (!hintUser || hintUser === session.username) && (!request.sid || request.sid === session.id);
  if (!forcesUi && session && sessionFits) {
    facts.username = session.username;
    // Silent sign-ins repeated in a loop (e.g. prompt=none iframes re-created on every render).
    const key = `authorize|${request.client.clientId}|${session.username}|${request.scopes.responseScope.toLowerCase().split(" ").sort().join(" ")}`;
    if (ctx.loops.record(key, ctx.now(), ctx.settings.loopDetection)) {
      facts.fault = "request_loop";
      return redirectError(ctx, res, facts, request, LOOP_DETECTED);
    }
    const consented = ctx.consents.apply(request.client.clientId, session.username, request.scopes, "authorize");
    if ("status" in consented) {
      // No UI allowed or needed: the consent prompt Entra would show is an interaction.
      if (request.prompt === "none") return redirectError(ctx, res, facts, request, consented);
      return showLogin(ctx, res, tenant, query, request, session.username);
    }
    return issueCode(ctx, res, facts, tenant, request, session);
  }
  if (request.prompt === "none") {
    const spec: EntraErrorSpec = session
      ? { status: 400, error: "interaction_required", aadsts: 16000, message: "Either multiple user identities are available for the current request or selected account is not supported for the scenario." }
      : { status: 400, error: "login_required", aadsts: 50058, message: "A silent sign-in request was sent but no user is signed in." };
    return redirectError(ctx, res, facts, request, spec);
  }
  showLogin(ctx, res, tenant, query, request, request.loginHint ?? session?.username ?? "");
}

/** `POST /{tenant}/oauth2/v2.0/authorize`: the login form. */
export async function authorizePost(ctx: EmulatorContext, req: IncomingMessage, res: ServerResponse, facts: RequestFacts, tenant: string, fault?: EntraErrorSpec): Promise<void> {
  let body: string;
  try {
    body = await readBody(req);
  } catch (err) {
    const tooLarge = err instanceof BodyTooLargeError;
    return errorPage(ctx, res, facts, { status: tooLarge ? 413 : 400, error: "invalid_request", aadsts: 90014, message: tooLarge ? "The request body is too large." : "The request body could not be read." });
  }
  const form = isFormContentType(req) ? parseForm(body) : "The sign-in form must be posted as application/x-www-form-urlencoded.";
  if (typeof form === "string") return errorPage(ctx, res, facts, { status: 400, error: "invalid_request", aadsts: 90014, message: form });
  const query = new URLSearchParams(form.get("request") ?? "");
  const request = acceptAuthorize(ctx, res, facts, tenant, query);
  if (!request) return;
  if (fault) return redirectError(ctx, res, facts, request, fault);
  const user = findUser(form.get("username"));
  const password = form.get("password") ?? "";
  if (!user || user.password !== password) {
    facts.error = "invalid_grant";
    return showLogin(ctx, res, tenant, query, request, (form.get("username") ?? "").slice(0, 200), "AADSTS50126: Your account or password is incorrect.");
  }
  const previous = parseCookies(req.headers.cookie).get(ctx.sessionCookieName);
  ctx.sessions.delete(previous);
  const session = ctx.sessions.create(user.username, ctx.now(), ctx.lifetimes.sessionSeconds);
  const cookie = `${ctx.sessionCookieName}=${session.id}; Path=/; Max-Age=${ctx.lifetimes.sessionSeconds}; Secure; HttpOnly; SameSite=None`;
  ctx.consents.grantInteractive(request.client.clientId, user.username, request.scopes);
  issueCode(ctx, res, facts, tenant, request, session, cookie);
}
