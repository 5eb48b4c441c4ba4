import type { IncomingMessage, ServerResponse } from "node:http";
import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import { sendEntraError, type EmulatorContext, type RequestFacts } from "./context.js";
import { entraErrorFor } from "./entra-error-presets.js";
import { sendFaultStatus } from "./fault-response.js";
import { MAX_URL_LENGTH, headerValue, preflightHeaders, sendJson } from "./http-util.js";
import { authorizeGet, authorizePost } from "./routes/authorize.js";
import { control } from "./routes/control.js";
import { instanceDiscovery, jwks, openIdConfiguration } from "./routes/discovery.js";
import { graphMe } from "./routes/graph-me.js";
import { graphGetMemberObjects, graphTransitiveMemberOf } from "./routes/graph-memberships.js";
import { logout } from "./routes/logout.js";
import { tokenEndpoint } from "./routes/token.js";

/** The Graph surface: path → logged endpoint (each also a fault key; fault key `graph` covers all three). */
const GRAPH_ROUTES: Record<string, string> = {
  "/v1.0/me": "me",
  "/v1.0/me/getMemberObjects": "member_objects",
  "/v1.0/me/transitiveMemberOf": "member_of",
};

const LOOPBACK = new Set(["127.0.0.1", "::1", "::ffff:127.0.0.1"]);

/** Which logical endpoint a path is (also the fault-injection key). */
function classify(path: string): { endpoint: string; tenant?: string } {
  if (path === "/common/discovery/instance") return { endpoint: "instance_discovery" };
  const graph = GRAPH_ROUTES[path];
  if (graph) return { endpoint: graph };
  const m = /^\/([A-Za-z0-9.-]{1,100})\/(v2\.0\/\.well-known\/openid-configuration|discovery\/v2\.0\/keys|oauth2\/v2\.0\/(authorize|token|logout))$/.exec(path);
  if (!m) return { endpoint: "unknown" };
  const tenant = m[1]!;
  if (m[2]!.startsWith("v2.0")) return { endpoint: "discovery", tenant };
  if (m[2]!.startsWith("discovery")) return { endpoint: "keys", tenant };
  return { endpoint: m[3]!, tenant };
}

const ALLOWED_METHODS: Record<string, string[]> = {
  instance_discovery: ["GET"],
  discovery: ["GET"],
  keys: ["GET"],
  authorize: ["GET", "POST"],
  token: ["POST"],
  logout: ["GET", "POST"],
  me: ["GET"],
  member_objects: ["POST"],
  member_of: ["GET"],
};

export interface RouterTimers {
  /** Requests held open by `hang` faults; destroyed on close. */
  hanging: Set<ServerResponse>;
  timers: Set<NodeJS.Timeout>;
}

export function createRequestHandler(ctx: EmulatorContext, runtime: RouterTimers) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    handle(ctx, runtime, req, res).catch((err: unknown) => {
      console.error("emulator: handler failed:", err instanceof Error ? err.message : String(err));
      if (!res.headersSent) sendJson(res, 500, { error: "server_error", error_description: "AADSTS90033: internal emulator error." });
      else res.destroy();
    });
  };
}

async function handle(ctx: EmulatorContext, runtime: RouterTimers, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const rawUrl = req.url ?? "/";
  let url: URL | undefined;
  try {
    url = rawUrl.length <= MAX_URL_LENGTH && rawUrl.startsWith("/") && !rawUrl.startsWith("//") ? new URL(rawUrl, "https://localhost") : undefined;
  } catch {
    url = undefined;
  }
  const path = url?.pathname ?? "/";
  if (path.startsWith("/__control/") || path === "/__control") {
    if (!LOOPBACK.has(req.socket.remoteAddress ?? "")) return sendJson(res, 403, { error: "forbidden", message: "control API is loopback-only" });
    return control(ctx, req, res, path, url?.searchParams ?? new URLSearchParams());
  }
  if (path === "/favicon.ico") {
    res.writeHead(204, { "Cache-Control": "max-age=86400" });
    res.end();
    return;
  }
  const started = performance.now();
  const arrived = ctx.now();
  const { endpoint, tenant } = url ? classify(path) : { endpoint: "unknown" };
  const query = url?.searchParams ?? new URLSearchParams();
  const origin = headerValue(req, "origin");
  const facts: RequestFacts = {
    endpoint,
    correlationId: (query.get("client-request-id") ?? headerValue(req, "client-request-id") ?? randomUUID()).slice(0, 64),
    origin: origin?.slice(0, 200),
    ...(endpoint === "authorize" && query.get("prompt") ? { prompt: query.get("prompt")!.slice(0, 32) } : {}),
    ...(endpoint === "authorize" && query.get("login_hint") ? { loginHint: query.get("login_hint")!.slice(0, 200) } : {}),
  };
  let logged = false;
  const log = (status: number) => {
    if (logged) return;
    logged = true;
    ctx.log.add({
      time: arrived,
      endpoint,
      method: (req.method ?? "").slice(0, 16),
      path: path.slice(0, 200),
      status,
      durationMs: Math.round((performance.now() - started) * 10) / 10,
      ...(facts.grantType ? { grantType: facts.grantType } : {}),
      ...(facts.clientId ? { clientId: facts.clientId } : {}),
      ...(facts.origin ? { origin: facts.origin } : {}),
      ...(facts.fault ? { fault: facts.fault } : {}),
      ...(facts.username ? { username: facts.username } : {}),
      ...(facts.scope ? { scope: facts.scope } : {}),
      ...(facts.error ? { error: facts.error } : {}),
      ...(facts.prompt ? { prompt: facts.prompt } : {}),
      ...(facts.loginHint ? { loginHint: facts.loginHint } : {}),
      correlationId: facts.correlationId,
    });
  };
  res.on("finish", () => log(res.statusCode));
  res.on("close", () => log(res.writableFinished ? res.statusCode : 0));

  if (!url) {
    const tooLong = rawUrl.length > MAX_URL_LENGTH;
    return sendEntraError(ctx, res, facts, { status: tooLong ? 414 : 400, error: "invalid_request", aadsts: 90014, message: tooLong ? "The request URL is too long." : "The request URL is malformed." });
  }
  if (req.method === "OPTIONS" && endpoint !== "unknown") {
    res.writeHead(204, preflightHeaders(req));
    res.end();
    return;
  }
  if (endpoint === "unknown") {
    return sendEntraError(ctx, res, facts, { status: 404, error: "not_found", aadsts: 90027, message: `The route '${path.slice(0, 80)}' does not exist on this identity provider.` });
  }
  if (!ALLOWED_METHODS[endpoint]!.includes(req.method ?? "")) {
    return sendEntraError(ctx, res, facts, { status: 405, error: "invalid_request", aadsts: 900561, message: `The endpoint only accepts ${ALLOWED_METHODS[endpoint]!.join(" or ")} requests. Received a ${(req.method ?? "").slice(0, 16)} request.` }, { Allow: ALLOWED_METHODS[endpoint]!.join(", ") });
  }

  const fault = ctx.faults.take(endpoint, ctx.now());
  if (fault) {
    facts.fault = fault.type === "status" ? `status:${fault.status}` : fault.type === "entra_error" ? `entra_error:${fault.preset ?? fault.error}` : fault.type;
    if (fault.type === "drop") {
      log(0);
      req.socket.destroy();
      return;
    }
    if (fault.type === "reset") loseAnswer(req, res);
    if (fault.type === "hang") {
      log(0);
      runtime.hanging.add(res);
      res.on("close", () => runtime.hanging.delete(res));
      req.resume();
      return;
    }
    if (fault.type === "status") return sendFaultStatus(ctx, res, facts, fault);
    // Entra sends authorize errors to the (validated) redirect URI, so the handler answers those.
    if (fault.type === "entra_error" && endpoint === "token") return sendEntraError(ctx, res, facts, entraErrorFor(fault, "token"));
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        runtime.timers.delete(timer);
        resolve();
      }, fault.latencyMs ?? 0);
      runtime.timers.add(timer);
    });
    if (res.destroyed) return;
  }

  const authorizeFault = fault?.type === "entra_error" ? entraErrorFor(fault, "authorize") : undefined;
  switch (endpoint) {
    case "instance_discovery":
      return instanceDiscovery(ctx, res, facts, query);
    case "discovery":
      return openIdConfiguration(ctx, res, facts, tenant!);
    case "keys":
      return jwks(ctx, res, facts, tenant!);
    case "authorize":
      return req.method === "POST" ? authorizePost(ctx, req, res, facts, tenant!, authorizeFault) : authorizeGet(ctx, req, res, facts, tenant!, query, authorizeFault);
    case "token":
      return tokenEndpoint(ctx, req, res, facts, tenant!);
    case "logout":
      return logout(ctx, req, res, facts, query);
    case "me":
      return graphMe(ctx, req, res, facts);
    case "member_objects":
      return graphGetMemberObjects(ctx, req, res, facts);
    case "member_of":
      return graphTransitiveMemberOf(ctx, req, res, facts, query);
  }
}

/**
 * The `reset` fault: the handler runs as usual, but whatever it answers is never sent — the socket is
 * destroyed at the moment the answer would leave (logged with status 0).
 */
function loseAnswer(req: IncomingMessage, res: ServerResponse): void {
  const destroy = () => {
    req.socket.destroy();
    return res;
  };
  res.writeHead = destroy as unknown as ServerResponse["writeHead"];
  res.write = (() => (destroy(), false)) as unknown as ServerResponse["write"];
  res.end = destroy as unknown as ServerResponse["end"];
}
