/**
 * The `resilient-token-broker-testkit/playwright` kit from its source: the worker's emulator is reset before
 * each test, and `entra.signIn` completes the login form on the page or on a popup it opened.
 */
import { createHash, randomBytes } from "node:crypto";
import { expect, test } from "../kit/playwright/index.js";
import { findChromium } from "../support/chromium.js";
import { startFixtureServer, type FixtureServer } from "../support/fixture-server.js";

test.use({ launchOptions: { executablePath: findChromium() } });

let app: FixtureServer;
test.beforeAll(async () => {
  app = await startFixtureServer({ routes: { "/": { html: "<!doctype html><title>app</title><p>app</p>" } } });
});
test.afterAll(() => app.close());

function authorizeUrl(entra: { authority: string; clientId: string }): string {
  const challenge = createHash("sha256").update(randomBytes(32).toString("base64url")).digest("base64url");
  const query = new URLSearchParams({ client_id: entra.clientId, response_type: "code", redirect_uri: `${app.origin}/`, scope: "User.Read openid offline_access", code_challenge: challenge, code_challenge_method: "S256", state: "s1" });
  return `${entra.authority}/oauth2/v2.0/authorize?${query}`;
}

test("signIn completes the login form on the page showing it; the code comes back in the query", async ({ page, entra }) => {
  expect(await entra.control.faults()).toEqual([]);
  expect(await entra.control.requests()).toEqual([]);
  await page.goto(authorizeUrl(entra));
  await entra.signIn(page, { username: "alex@contoso.test" });
  await page.waitForURL((url) => url.origin === app.origin && url.searchParams.has("code"));
  const [post] = await entra.control.requests({ endpoint: "authorize", method: "POST" });
  expect(post).toMatchObject({ status: 302, username: "alex@contoso.test" });
  // Left for the next test to find gone: the fixture resets the emulator before each test.
  await entra.control.fault({ endpoint: "token", type: "status", status: 503 });
});

test("signIn finds the login form on a popup the page opened; the emulator was reset", async ({ page, entra }) => {
  expect(await entra.control.faults()).toEqual([]);
  expect(await entra.control.requests()).toEqual([]);
  await page.goto(`${app.origin}/`);
  const popupPromise = page.waitForEvent("popup");
  await page.evaluate((url) => void window.open(url, "signin", "width=480,height=640"), authorizeUrl(entra));
  const popup = await popupPromise;
  await entra.signIn(page);
  await popup.waitForURL((url) => url.origin === app.origin && url.searchParams.get("state") === "s1");
  expect((await entra.control.requests({ endpoint: "authorize", method: "POST" })).map((e) => e.username)).toEqual(["adele@contoso.test"]);
  await entra.control.fault({ endpoint: "token", type: "status", status: 503 });
});

test("signIn says which page it looked for when no login form shows", async ({ page, entra }) => {
  await page.goto(`${app.origin}/`);
  await expect(entra.signIn(page, { timeoutMs: 300 })).rejects.toThrow(/no page showed the emulator's login form/);
});
