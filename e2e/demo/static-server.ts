import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { extname, join, normalize, resolve } from "node:path";
import { listen } from "../support/fixture-server.js";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".map": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
};

export interface StaticSite {
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * Serves a built folder (dist/web) on http://localhost:<port>/ — a second call gives a second origin,
 * which is how the demo and bench host "two apps". GET only; paths cannot escape the folder.
 */
export async function serveStatic(folder: string, port = 0): Promise<StaticSite> {
  const root = resolve(folder);
  const server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? "/", "http://localhost").pathname);
    const file = normalize(join(root, path.endsWith("/") ? `${path}index.html` : path));
    if (!file.startsWith(root) || request.method !== "GET") {
      response.writeHead(404).end();
      return;
    }
    readFile(file).then(
      (body) => response.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream", "cache-control": "no-store" }).end(body),
      () => response.writeHead(404, { "content-type": "text/plain" }).end("not found"),
    );
  });
  const site = await listen(server, port, "127.0.0.1");
  return { url: `http://localhost:${site.port}/`, ...site };
}
