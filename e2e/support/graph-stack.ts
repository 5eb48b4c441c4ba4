/**
 * The Graph SDK cells' set-up: the fixture page with the real Graph SDKs (e2e/fixtures/graph-app) on
 * its own origin, and a second HTTPS host NOT on the token allow-list (127.0.0.1, while the emulator's
 * Graph routes are on localhost) that records the headers it receives.
 */
import type { IncomingHttpHeaders } from "node:http";
import { createServer } from "node:https";
import type { Page } from "@playwright/test";
import { createSelfSignedCertificate } from "../kit/emulator/tls.js";
import { graphAppRoutes } from "../fixtures/graph-app/routes.js";
import type { GraphFixtureApi } from "../fixtures/graph-app/fixture-api.js";
import { listen, startFixtureServer, type FixtureServer } from "./fixture-server.js";

export interface OtherHost {
  url: string;
  /** Every request it received (preflights too), with its headers. */
  received: Array<{ method: string; path: string; headers: IncomingHttpHeaders }>;
  close(): Promise<void>;
}

/** An HTTPS host on 127.0.0.1 that answers like /v1.0/me (with CORS) and records what it got. */
async function startOtherHost(): Promise<OtherHost> {
  const received: OtherHost["received"] = [];
  const server = createServer(await createSelfSignedCertificate(), (req, res) => {
    received.push({ method: req.method ?? "", path: req.url ?? "", headers: req.headers });
    const cors = {
      "Access-Control-Allow-Origin": req.headers.origin ?? "*",
      "Access-Control-Allow-Headers": req.headers["access-control-request-headers"] ?? "*",
      "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
    };
    if (req.method === "OPTIONS") {
      res.writeHead(204, cors);
      res.end();
      return;
    }
    res.writeHead(200, { ...cors, "Content-Type": "application/json" });
    res.end(JSON.stringify({ id: "other", displayName: "Not Graph" }));
  });
  const { port, close } = await listen(server, 0, "127.0.0.1");
  return { url: `https://127.0.0.1:${port}`, received, close };
}

export interface GraphSite {
  fixture: FixtureServer;
  other: OtherHost;
  /** The page URL (the config travels in the page; no query needed). */
  url: string;
  close(): Promise<void>;
}

export async function startGraphSite(emulator: { url: string; authority: string; clientId: string }, useExtension: boolean): Promise<GraphSite> {
  const other = await startOtherHost();
  try {
    const fixture = await startFixtureServer({
      routes: graphAppRoutes({ clientId: emulator.clientId, authority: emulator.authority, graphUrl: emulator.url, otherUrl: other.url, useExtension }),
    });
    return {
      fixture,
      other,
      url: `${fixture.origin}/`,
      close: async () => {
        await fixture.close();
        await other.close();
      },
    };
  } catch (error) {
    await other.close();
    throw error;
  }
}

/** Waits for the fixture page's API (or its start-up error). */
export async function graphFixtureReady(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const w = window as unknown as { graphFixture?: unknown; graphFixtureError?: string };
    return typeof w.graphFixture === "object" || typeof w.graphFixtureError === "string";
  }, undefined, { timeout: 60_000 });
  const error = await page.evaluate(() => (window as unknown as { graphFixtureError?: string }).graphFixtureError);
  if (error) throw new Error(`The Graph fixture page did not start: ${error}`);
}

/** Calls one method of the page's `window.graphFixture`. */
export function fixtureCall<K extends keyof GraphFixtureApi>(page: Page, method: K, ...args: Parameters<GraphFixtureApi[K]>): Promise<Awaited<ReturnType<GraphFixtureApi[K]>>> {
  return page.evaluate(
    async ([name, values]) => {
      const api = (window as unknown as { graphFixture: Record<string, (...a: unknown[]) => unknown> }).graphFixture;
      return (await api[name]!(...values)) as never;
    },
    [method, args] as const,
  );
}
