import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { build } from "esbuild";

/** A route: static HTML/text, a TS/JS entry bundled on the fly for the browser, or a handler. */
export type FixtureRoute =
  | { html: string }
  | { text: string; contentType?: string }
  | { bundle: string /* path of a TS/JS entry point */; define?: Record<string, string> }
  | { handler: (req: IncomingMessage, res: ServerResponse) => void };

export interface FixtureServerOptions {
  /** Path (e.g. "/", "/app.js") → route. Unknown paths get 404. */
  routes: Record<string, FixtureRoute>;
  /** Default 0 (any free port). Different ports are different origins. */
  port?: number;
  /** Default "localhost". */
  host?: string;
}

export interface FixtureServer {
  /** e.g. http://localhost:41234 (no trailing slash; the host it was started on) */
  origin: string;
  port: number;
  close(): Promise<void>;
}

/** Bundles a browser entry point (esbuild, IIFE); results are cached per entry and define map. */
const bundleCache = new Map<string, Promise<string>>();

function bundleForBrowser(entry: string, define: Record<string, string> = {}): Promise<string> {
  const key = `${entry}|${JSON.stringify(define)}`;
  let cached = bundleCache.get(key);
  if (!cached) {
    cached = build({
      entryPoints: [entry],
      bundle: true,
      format: "iife",
      platform: "browser",
      target: "es2022",
      write: false,
      sourcemap: "inline",
      define,
      logLevel: "silent",
    }).then((result) => result.outputFiles[0]!.text);
    cached.catch(() => bundleCache.delete(key));
    bundleCache.set(key, cached);
  }
  return cached;
}

async function serve(route: FixtureRoute, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if ("handler" in route) return route.handler(req, res);
  let body: string;
  let type: string;
  if ("html" in route) {
    body = route.html;
    type = "text/html; charset=utf-8";
  } else if ("text" in route) {
    body = route.text;
    type = route.contentType ?? "text/plain; charset=utf-8";
  } else {
    body = await bundleForBrowser(route.bundle, route.define);
    type = "text/javascript; charset=utf-8";
  }
  res.writeHead(200, { "Content-Type": type, "Content-Length": Buffer.byteLength(body), "Cache-Control": "no-store" });
  res.end(body);
}

/** Starts `server` listening (port 0: any free one); `close` also drops kept-alive connections. */
export function listen(server: Server, port = 0, host = "localhost"): Promise<{ port: number; close(): Promise<void> }> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () =>
      resolve({
        port: (server.address() as AddressInfo).port,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      }),
    );
  });
}

/** Serves fixture pages on http://<host>:<port> (default localhost). Start several for several origins. */
export async function startFixtureServer(options: FixtureServerOptions): Promise<FixtureServer> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    const route = options.routes[path];
    if (!route) {
      res.writeHead(404, { "Content-Type": "text/plain" });
      res.end("not found");
      return;
    }
    serve(route, req, res).catch((err: unknown) => {
      const message = err instanceof Error ? err.message : String(err);
      if (!res.headersSent) res.writeHead(500, { "Content-Type": "text/plain" });
      res.end(`fixture error: ${message}`);
    });
  });
  const host = options.host ?? "localhost";
  const { port, close } = await listen(server, options.port, host);
  return { origin: `http://${host}:${port}`, port, close };
}
