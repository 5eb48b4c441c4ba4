/**
 * A plain-HTTP fixture server for the extension's e2e tests: serves the nestable MSAL app
 * (e2e/fixtures/naa-app, bundled once with esbuild from an UNMODIFIED @azure/msal-browser), a page
 * that frames another origin, and a blank page. Each instance is one origin (http://localhost:<port>).
 */
import { build } from "esbuild";
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join, resolve } from "node:path";

const FIXTURE_DIR = resolve(import.meta.dirname, "../fixtures/naa-app");
let bundle: Promise<string> | undefined;

function bundleApp(): Promise<string> {
  bundle ??= build({
    entryPoints: [join(FIXTURE_DIR, "app.ts")],
    bundle: true,
    write: false,
    format: "esm",
    platform: "browser",
    target: "chrome116",
    minify: true,
    logLevel: "silent",
  }).then((r) => r.outputFiles[0]!.text);
  return bundle;
}

export interface FixtureServer {
  /** e.g. http://localhost:41234 */
  origin: string;
  port: number;
  /** URL of the nestable app page, configured for the given emulator authority and client. */
  appUrl(options: { authority: string; clientId: string; scopes?: string[] }): string;
  close(): Promise<void>;
}

export async function startFixtureServer(host = "localhost"): Promise<FixtureServer> {
  const script = await bundleApp();
  const html = readFileSync(join(FIXTURE_DIR, "index.html"), "utf8");
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://fixture");
    const send = (status: number, type: string, body: string) => {
      res.writeHead(status, { "content-type": type, "cache-control": "no-store" });
      res.end(body);
    };
    if (url.pathname === "/naa-app/" || url.pathname === "/naa-app/index.html") return send(200, "text/html", html);
    if (url.pathname === "/naa-app/app.js") return send(200, "text/javascript", script);
    if (url.pathname === "/frame.html") {
      const src = url.searchParams.get("src") ?? "about:blank";
      const safe = src.replace(/[^\w:/.?=&%-]/g, "");
      return send(200, "text/html", `<!doctype html><title>frame host</title><iframe id="child" src="${safe}"></iframe>`);
    }
    if (url.pathname === "/blank.html") return send(200, "text/html", "<!doctype html><title>blank</title><p>blank</p>");
    return send(404, "text/plain", "not found");
  });
  await new Promise<void>((ok) => server.listen(0, host, ok));
  const port = (server.address() as AddressInfo).port;
  const origin = `http://${host}:${port}`;
  return {
    origin,
    port,
    appUrl: ({ authority, clientId, scopes }) => {
      const q = new URLSearchParams({ authority, clientId, ...(scopes ? { scopes: scopes.join(" ") } : {}) });
      return `${origin}/naa-app/?${q}`;
    },
    close: () =>
      new Promise<void>((ok) => {
        server.close(() => ok());
        server.closeAllConnections();
      }),
  };
}
