import type { IncomingMessage, ServerResponse } from "node:http";
import { isRegisteredRedirect } from "../clients.js";
import type { EmulatorContext, RequestFacts } from "../context.js";
import { parseCookies, redirect, sendHtml } from "../http-util.js";
import { renderMessagePage } from "./login-page.js";

/** `GET|POST /{tenant}/oauth2/v2.0/logout`: ends the session, then returns to a registered URI. */
export function logout(ctx: EmulatorContext, req: IncomingMessage, res: ServerResponse, facts: RequestFacts, query: URLSearchParams): void {
  const cookieName = ctx.sessionCookieName;
  const sessionId = parseCookies(req.headers.cookie).get(cookieName);
  const session = ctx.sessions.get(sessionId, ctx.now());
  if (session) facts.username = session.username;
  ctx.sessions.delete(sessionId);
  const clearCookie = `${cookieName}=; Path=/; Max-Age=0; Secure; HttpOnly; SameSite=None`;
  const target = query.get("post_logout_redirect_uri");
  const clientId = query.get("client_id");
  facts.clientId = clientId?.slice(0, 64) || undefined;
  const candidates = clientId ? [ctx.clients.get(clientId)].filter((c) => c !== undefined) : ctx.clients.all();
  if (target && candidates.some((c) => isRegisteredRedirect(c, target))) {
    const state = query.get("state");
    const location = state ? `${target}${target.includes("?") ? "&" : "?"}${new URLSearchParams({ state })}` : target;
    return redirect(res, location, { "Set-Cookie": clearCookie });
  }
  sendHtml(res, 200, renderMessagePage("You signed out of your account", "It's a good idea to close all browser windows."), { "Set-Cookie": clearCookie });
}
