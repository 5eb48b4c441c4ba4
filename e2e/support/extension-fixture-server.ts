/**
 * The fixture origin for the extension's e2e tests (on ./fixture-server.ts): serves the nestable MSAL
 * app (e2e/fixtures/naa-app, bundled once with esbuild from an UNMODIFIED @azure/msal-browser), a page
 * that frames another origin, and a blank page. Each instance is one origin (http://localhost:<port>).
 */
import { build } from "esbuild";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { startFixtureServer as startRoutes, type FixtureServer as RoutesServer } from "./fixture-server.js";

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

export interface FixtureServer extends RoutesServer {
  /** URL of the nestable app page, configured for the given emulator authority and client. */
  appUrl(options: { authority: string; clientId: string; scopes?: string[] }): string;
}

export async function startFixtureServer(host = "localhost"): Promise<FixtureServer> {
  const app = { html: readFileSync(join(FIXTURE_DIR, "index.html"), "utf8") };
  const server = await startRoutes({
    host,
    routes: {
      "/naa-app/": app,
      "/naa-app/index.html": app,
      "/naa-app/app.js": { text: await bundleApp(), contentType: "text/javascript" },
      "/frame.html": {
        handler: (req, res) => {
          const src = new URL(req.url ?? "/", "http://fixture").searchParams.get("src") ?? "about:blank";
          const safe = src.replace(/[^\w:/.?=&%-]/g, "");
          res.writeHead(200, { "content-type": "text/html", "cache-control": "no-store" });
          res.end(`<!doctype html><title>frame host</title><iframe id="child" src="${safe}"></iframe>`);
        },
      },
      "/blank.html": { html: "<!doctype html><title>blank</title><p>blank</p>" },
    },
  });
  return {
    ...server,
    appUrl: ({ authority, clientId, scopes }) => {
      const q = new URLSearchParams({ authority, clientId, ...(scopes ? { scopes: scopes.join(" ") } : {}) });
      return `${server.origin}/naa-app/?${q}`;
    },
  };
}
