import type { IncomingMessage, ServerResponse } from "node:http";
import { DEFAULT_CLIENT, parseClientRegistration } from "../clients.js";
import type { EmulatorContext } from "../context.js";
import { parseConsentSpec } from "../consent.js";
import { parseFaultSpec } from "../faults.js";
import { BodyTooLargeError, readBody, sendJson } from "../http-util.js";
import { parseLifetimesPatch } from "../lifetimes.js";
import { applySettings, parseSettingsPatch } from "../settings.js";
import { findUser } from "../users.js";

type JsonBody = { ok: true; value: unknown } | { ok: false; message: string; status: number };

async function readJson(req: IncomingMessage): Promise<JsonBody> {
  let text: string;
  try {
    text = await readBody(req);
  } catch (err) {
    return { ok: false, status: err instanceof BodyTooLargeError ? 413 : 400, message: "body could not be read" };
  }
  if (text.trim() === "") return { ok: true, value: {} };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false, status: 400, message: "body is not valid JSON" };
  }
}

const bad = (res: ServerResponse, message: string, status = 400) => sendJson(res, status, { error: "bad_request", message });

function metrics(ctx: EmulatorContext): Record<string, unknown> {
  const now = ctx.now();
  return {
    uptimeMs: now - ctx.startedAt,
    requestsTotal: ctx.log.total,
    requestsByEndpoint: Object.fromEntries(ctx.log.countsByEndpoint),
    requestsByStatus: Object.fromEntries(ctx.log.countsByStatus),
    grantsByType: Object.fromEntries(ctx.log.grantsByType),
    faultsApplied: ctx.faults.appliedTotal,
    activeFaults: ctx.faults.list(now).length,
    liveSessions: ctx.sessions.count(now),
    liveRefreshTokenFamilies: ctx.refreshTokens.liveFamilies(now),
    lastSeq: ctx.log.lastSeq,
  };
}

/** `/__control/*`: the test-only control API (JSON; the server only lets loopback callers in). */
export async function control(ctx: EmulatorContext, req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams): Promise<void> {
  const route = `${req.method} ${path.replace(/^\/__control\/?/, "")}`;
  const needsBody = req.method === "POST";
  const body = needsBody ? await readJson(req) : ({ ok: true, value: {} } as JsonBody);
  if (!body.ok) return bad(res, body.message, body.status);
  const input = body.value;
  const now = ctx.now();
  switch (route) {
    case "GET info":
      return sendJson(res, 200, { url: ctx.url, tenant: ctx.tenant, clientId: DEFAULT_CLIENT.clientId });
    case "POST faults": {
      const spec = parseFaultSpec(input);
      if (typeof spec === "string") return bad(res, spec);
      return sendJson(res, 201, ctx.faults.add(spec, now));
    }
    case "GET faults":
      return sendJson(res, 200, { faults: ctx.faults.list(now) });
    case "DELETE faults":
      ctx.faults.clear();
      return sendJson(res, 200, { cleared: true });
    case "GET lifetimes":
      return sendJson(res, 200, ctx.lifetimes);
    case "POST lifetimes": {
      const patch = parseLifetimesPatch(input);
      if (typeof patch === "string") return bad(res, patch);
      ctx.lifetimes = { ...ctx.lifetimes, ...patch };
      return sendJson(res, 200, ctx.lifetimes);
    }
    case "POST revoke": {
      const username = (input as { username?: unknown }).username;
      const user = typeof username === "string" ? findUser(username) : undefined;
      if (!user) return bad(res, "username must name a known user");
      ctx.revokedAt.set(user.username, now);
      const sessionsEnded = ctx.sessions.endFor(user.username);
      const familiesRevoked = ctx.refreshTokens.revokeUser(user.username);
      return sendJson(res, 200, { username: user.username, revokedAt: now, sessionsEnded, familiesRevoked });
    }
    case "POST expire": {
      const { username, what } = input as { username?: unknown; what?: unknown };
      if (username !== undefined && (typeof username !== "string" || !findUser(username))) return bad(res, "username must name a known user");
      const who = typeof username === "string" ? findUser(username)!.username : undefined;
      if (what === "refresh_tokens") return sendJson(res, 200, { expired: ctx.refreshTokens.expireFor(who, now) });
      if (what === "sessions") return sendJson(res, 200, { expired: ctx.sessions.expireFor(who, now) });
      return bad(res, "what must be 'refresh_tokens' or 'sessions'");
    }
    case "GET settings":
      return sendJson(res, 200, ctx.settings);
    case "POST settings": {
      const patch = parseSettingsPatch(input);
      if (typeof patch === "string") return bad(res, patch);
      ctx.settings = applySettings(ctx.settings, patch);
      return sendJson(res, 200, ctx.settings);
    }
    case "POST consent": {
      const spec = parseConsentSpec(input, DEFAULT_CLIENT.clientId);
      if (typeof spec === "string") return bad(res, spec);
      ctx.consents.set(spec);
      return sendJson(res, 200, spec);
    }
    case "POST reset":
      ctx.reset();
      return sendJson(res, 200, { reset: true });
    case "GET requests": {
      const since = query.get("since");
      const entries = ctx.log.list({
        since: since !== null && /^\d+$/.test(since) ? Number(since) : undefined,
        endpoint: query.get("endpoint") ?? undefined,
        method: query.get("method") ?? undefined,
        grantType: query.get("grantType") ?? undefined,
      });
      return sendJson(res, 200, { entries, lastSeq: ctx.log.lastSeq });
    }
    case "DELETE requests":
      ctx.log.clear();
      return sendJson(res, 200, { cleared: true, lastSeq: ctx.log.lastSeq });
    case "GET metrics":
      return sendJson(res, 200, metrics(ctx));
    case "POST clients": {
      const client = parseClientRegistration(input);
      if (typeof client === "string") return bad(res, client);
      ctx.clients.register(client);
      return sendJson(res, 201, client);
    }
    default:
      return sendJson(res, 404, { error: "not_found", message: `no control route '${route.slice(0, 80)}'` });
  }
}
