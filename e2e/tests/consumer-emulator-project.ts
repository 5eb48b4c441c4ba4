/**
 * The files of the consumer project in consumer-emulator.spec.ts: a page with an unmodified
 * @azure/msal-browser PublicClientApplication, and a Playwright spec that uses only the kit's public
 * entry points (`resilient-token-broker-testkit/playwright`, `resilient-token-broker-testkit/emulator`).
 */
export const CONSUMER_APP_TS = `
import { InteractionRequiredAuthError, PublicClientApplication } from "@azure/msal-browser";
import { broadcastResponseToMainFrame } from "@azure/msal-browser/redirect-bridge";

const params = new URLSearchParams(location.search);
const isAuthResponse = new URLSearchParams(location.hash.slice(1)).has("state") || params.has("state");

function describe(err) {
  return { ok: false, name: err?.name ?? "Error", errorCode: err?.errorCode ?? "", interactionRequired: err instanceof InteractionRequiredAuthError };
}

async function start() {
  const pca = new PublicClientApplication({
    auth: { clientId: params.get("clientId"), authority: params.get("authority"), knownAuthorities: [params.get("authority")], redirectUri: location.origin + "/" },
    cache: { cacheLocation: "sessionStorage" },
  });
  await pca.initialize();
  const run = async (fn) => {
    try {
      const result = await fn();
      return { ok: true, username: result.account?.username ?? "", scopes: result.scopes, fromCache: result.fromCache };
    } catch (err) {
      return describe(err);
    }
  };
  window.app = {
    login: (scopes) => run(async () => {
      const result = await pca.loginPopup({ scopes });
      pca.setActiveAccount(result.account);
      return result;
    }),
    silent: (scopes, forceRefresh) => run(() => pca.acquireTokenSilent({ scopes, account: pca.getActiveAccount(), forceRefresh })),
  };
}

if (isAuthResponse) broadcastResponseToMainFrame().catch((err) => { window.appError = String(err); });
else start().catch((err) => { window.appError = String(err); });
`;

export const CONSUMER_INDEX_HTML = `<!doctype html><html><head><meta charset="utf-8"><title>my msal app</title></head>
<body><h1>my msal app</h1><script src="/app.js"></script></body></html>`;

export const CONSUMER_PLAYWRIGHT_CONFIG = `
import { defineConfig } from "@playwright/test";
export default defineConfig({
  testDir: "tests",
  workers: 1,
  timeout: 60_000,
  reporter: [["list"], ["json", { outputFile: "results.json" }]],
  use: { launchOptions: { executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium" } },
});
`;

export const CONSUMER_SPEC_TS = `
import { createServer } from "node:http";
import { readFileSync } from "node:fs";
import type { Page } from "@playwright/test";
import { expect, test, type EntraFixture } from "resilient-token-broker-testkit/playwright";
import { startEmulator, type RequestLogEntry } from "resilient-token-broker-testkit/emulator";

interface AppResult {
  ok: boolean;
  username?: string;
  errorCode?: string;
  interactionRequired?: boolean;
}
declare global {
  interface Window {
    app?: { login(scopes: string[]): Promise<AppResult>; silent(scopes: string[], forceRefresh: boolean): Promise<AppResult> };
    appError?: string;
  }
}

const SCOPES = ["User.Read"];
let origin = "";
const server = createServer((req, res) => {
  const path = new URL(req.url ?? "/", "http://x").pathname;
  const file = path === "/app.js" ? "public/app.js" : "public/index.html";
  res.writeHead(200, { "Content-Type": path === "/app.js" ? "text/javascript" : "text/html" });
  res.end(readFileSync(file));
});
test.beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "localhost", () => resolve()));
  origin = "http://localhost:" + (server.address() as { port: number }).port;
});
test.afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function openApp(page: Page, entra: EntraFixture) {
  await page.goto(origin + "/?" + new URLSearchParams({ clientId: entra.clientId, authority: entra.authority }));
  await page.waitForFunction(() => window.app || window.appError);
}

async function signIn(page: Page, entra: EntraFixture) {
  const login = page.evaluate((scopes) => window.app!.login(scopes), SCOPES);
  await entra.signIn(page);
  const result = await login;
  expect(result).toMatchObject({ ok: true, username: "adele@contoso.test" });
}

const tokenPosts = (entries: RequestLogEntry[]) => entries.filter((e) => e.endpoint === "token" && e.method === "POST");

test("signs in with MSAL's popup against the emulator", async ({ page, entra }) => {
  await openApp(page, entra);
  await signIn(page, entra);
  const log = await entra.control.requests();
  expect(log.some((e) => e.endpoint === "authorize" && e.method === "POST" && e.username === "adele@contoso.test")).toBe(true);
  expect(tokenPosts(log).map((e) => [e.grantType, e.status])).toEqual([["authorization_code", 200]]);
});

test("a 429 from /token fails the silent refresh, and the emulator saw exactly one throttled grant", async ({ page, entra }) => {
  await openApp(page, entra);
  await signIn(page, entra);
  const mark = (await entra.control.requests()).at(-1)?.seq ?? 0;
  await entra.control.fault({ endpoint: "token", type: "status", status: 429, count: 1 });
  const throttled = await page.evaluate((scopes) => window.app!.silent(scopes, true), SCOPES);
  expect(throttled.ok).toBe(false);
  console.log("msal-429-error " + JSON.stringify(throttled));
  const posts = tokenPosts(await entra.control.requests({ since: mark }));
  expect(posts.map((e) => [e.status, e.fault])).toEqual([[429, "status:429"]]);
});

test("after a revocation the silent refresh needs interaction", async ({ page, entra }) => {
  await openApp(page, entra);
  await signIn(page, entra);
  const mark = (await entra.control.requests()).at(-1)?.seq ?? 0;
  await entra.control.revoke("adele@contoso.test");
  const revoked = await page.evaluate((scopes) => window.app!.silent(scopes, true), SCOPES);
  expect(revoked).toMatchObject({ ok: false, interactionRequired: true });
  const after = await entra.control.requests({ since: mark });
  expect(tokenPosts(after).map((e) => [e.grantType, e.status, e.error])).toEqual([["refresh_token", 400, "invalid_grant"]]);
});

test("startEmulator runs a second emulator with its own options", async () => {
  const strict = await startEmulator({ refreshTokenReuse: "revoke_family" });
  try {
    expect(strict.authority).toBe(strict.url + "/" + strict.tenant);
    expect((await strict.control.settings()).refreshTokenReuse).toBe("revoke_family");
    expect(await strict.control.requests()).toEqual([]);
  } finally {
    await strict.close();
  }
});
`;
