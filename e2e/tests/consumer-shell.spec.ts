// A fresh Vite + React app in TypeScript (its own tsc checks it under nodenext), outside the
// repository, that installs the packed tarball and uses only
// AuthShellProvider, useAccessToken and useAuthFetch: standalone against the emulator, then with the
// extension (mode "extension", no sign-in window). Assertions read the emulator's request log.
import { expect, test, type Browser, type BrowserContext } from "@playwright/test";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { extname, join } from "node:path";
import { createConsumerProject, sameVersionAs, typecheckConsumer, type ConsumerProject } from "../support/consumer-project.js";
import { startFixtureServer, type FixtureRoute, type FixtureServer } from "../support/fixture-server.js";
import { startTestEmulator, type TestEmulator } from "../kit/emulator/control-client.js";
import { fillLogin, launchWithExtension, configureBroker, openExtensionPage } from "../support/extension-browser.js";
import { launchPlain } from "../support/chromium.js";

const APP = `import { useState } from "react";
import { createRoot } from "react-dom/client";
import { AuthShellProvider, useAccessToken, useAuthFetch, type AuthShellConfig } from "resilient-token-broker/react";

const query = new URLSearchParams(location.search);
const config: AuthShellConfig = { authority: query.get("authority") ?? "", clientId: query.get("clientId") ?? "", scopes: ["User.Read"] };

function Profile() {
  const { token, result, error, loading, signIn } = useAccessToken(["User.Read"]);
  const authFetch = useAuthFetch();
  const [name, setName] = useState("");
  if (loading) return <p>Loading…</p>;
  if (!token) return <button id="sign-in" data-code={error?.code} onClick={() => void signIn()}>Sign in</button>;
  const load = async () => setName(((await (await authFetch(query.get("graph") + "/v1.0/me")).json()) as { displayName: string }).displayName);
  return (
    <>
      <p id="source">{result?.source}</p>
      <button id="load" onClick={() => void load()}>Load profile</button>
      <p id="name">{name}</p>
    </>
  );
}

createRoot(document.getElementById("root")!).render(<AuthShellProvider config={config}><Profile /></AuthShellProvider>);
`;

/** The README's old Vanilla example: signIn() right after start-up, no click — what a newcomer writes first. */
const SIGN_IN_AT_START = `import { AuthShellError, createAuthShell } from "resilient-token-broker/shell";

const query = new URLSearchParams(location.search);
const out = document.getElementById("out")!;
const shell = await createAuthShell({ authority: query.get("authority") ?? "", clientId: query.get("clientId") ?? "" });
try {
  await shell.signIn();
  out.dataset.code = "signed_in";
} catch (error) {
  out.dataset.code = AuthShellError.from(error).code;
  out.textContent = shell.describeError(error);
}
`;

const REDIRECT = `import { completePopupSignIn } from "resilient-token-broker/shell";
completePopupSignIn();
`;

let project: ConsumerProject;
let site: FixtureServer;
let emulator: TestEmulator;

/** Serves the consumer's built dist/ folder. */
function routesOf(dir: string): Record<string, FixtureRoute> {
  const types: Record<string, string> = { ".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8", ".map": "application/json" };
  const routes: Record<string, FixtureRoute> = {};
  for (const file of readdirSync(dir, { recursive: true }).map(String)) {
    if (extname(file) === "") continue;
    const body = readFileSync(join(dir, file), "utf8");
    routes[`/${file}`] = extname(file) === ".html" ? { html: body } : { text: body, contentType: types[extname(file)] ?? "application/octet-stream" };
  }
  routes["/"] = routes["/index.html"]!;
  return routes;
}

test.beforeAll(async () => {
  test.setTimeout(600_000);
  project = createConsumerProject({
    name: "shell-react",
    dependencies: {
      react: sameVersionAs("react"),
      "react-dom": sameVersionAs("react-dom"),
      vite: sameVersionAs("vite"),
      "@vitejs/plugin-react": sameVersionAs("@vitejs/plugin-react"),
      "@azure/msal-browser": sameVersionAs("@azure/msal-browser"),
      typescript: sameVersionAs("typescript"),
      "@types/react": sameVersionAs("@types/react"),
      "@types/react-dom": sameVersionAs("@types/react-dom"),
    },
    packageJson: { scripts: { build: "vite build" } },
    files: {
      "index.html": '<!doctype html><html><body><div id="root"></div><script type="module" src="/src/main.tsx"></script></body></html>',
      "redirect.html": '<!doctype html><html><body><script type="module" src="/src/redirect.ts"></script></body></html>',
      "start.html": '<!doctype html><html><body><p id="out"></p><script type="module" src="/src/start.ts"></script></body></html>',
      "src/start.ts": SIGN_IN_AT_START,
      "src/main.tsx": APP,
      "src/redirect.ts": REDIRECT,
      "vite.config.js": `import { defineConfig } from "vite";\nimport react from "@vitejs/plugin-react";\nexport default defineConfig({ plugins: [react()], build: { target: "es2022", rollupOptions: { input: ["index.html", "redirect.html", "start.html"] } } });\n`,
    },
  });
  project.run("npm", ["run", "build"]);
  site = await startFixtureServer({ routes: routesOf(join(project.dir, "dist")) });
  emulator = await startTestEmulator();
});

test.afterAll(async () => {
  await site?.close();
  await emulator?.close();
  project?.remove();
});

test("the consumer's app type-checks with its own tsc under moduleResolution nodenext", () => {
  expect(() => typecheckConsumer(project, { resolution: "nodenext", include: ["src"], jsx: true })).not.toThrow();
});

function appUrl(): string {
  const q = new URLSearchParams({ authority: emulator.authority, clientId: emulator.clientId, graph: emulator.url });
  return `${site.origin}/index.html?${q}`;
}

test("consumer app, standalone: popup sign-in against the emulator, then /v1.0/me through authFetch", async () => {
  let browser: Browser | undefined;
  try {
    browser = await launchPlain();
    const context = await browser.newContext({ ignoreHTTPSErrors: true });
    const page = await context.newPage();
    await page.goto(appUrl());
    await expect(page.locator("#sign-in")).toHaveAttribute("data-code", "no_account");
    const mark = await emulator.control.lastSeq();
    const popup = page.waitForEvent("popup");
    await page.locator("#sign-in").click();
    await fillLogin(await popup, "adele@contoso.test");
    await expect(page.locator("#source")).toHaveText(/network|cache/);
    await page.locator("#load").click();
    await expect(page.locator("#name")).toHaveText("Adele Vance");
    const log = await emulator.control.requests({ since: mark });
    const redeemed = log.filter((e) => e.endpoint === "token" && e.grantType === "authorization_code" && e.status === 200);
    expect(redeemed).toHaveLength(1);
    expect(redeemed[0]?.origin).toBe(site.origin); // the page itself talked to the IdP
    expect(log.filter((e) => e.endpoint === "me" && e.status === 200)).toHaveLength(1);
  } finally {
    await browser?.close();
  }
});

test("consumer app, popup blocker on: signIn() with no click is popup_blocked, and the sentence says to sign in from a click", async () => {
  let browser: Browser | undefined;
  try {
    browser = await launchPlain({ popupBlocker: true });
    const page = await (await browser.newContext({ ignoreHTTPSErrors: true })).newPage();
    const q = new URLSearchParams({ authority: emulator.authority, clientId: emulator.clientId });
    const mark = await emulator.control.lastSeq();
    await page.goto(`${site.origin}/start.html?${q}`);
    await expect(page.locator("#out")).toHaveAttribute("data-code", "popup_blocked");
    await expect(page.locator("#out")).toHaveText("Your browser blocked the sign-in window. Select “Sign in” (a button or link) to open it.");
    // Blocked in the browser: the sign-in page was never requested.
    expect((await emulator.control.requests({ since: mark })).filter((e) => e.endpoint === "authorize")).toEqual([]);
  } finally {
    await browser?.close();
  }
});

test("consumer app, extension installed and origin granted: mode extension, a token with no sign-in window", async () => {
  const profileDir = mkdtempSync(join(tmpdir(), "consumer-ext-"));
  let context: BrowserContext | undefined;
  try {
    context = await launchWithExtension(profileDir);
    const options = await openExtensionPage(context);
    await configureBroker(options, {
      authority: emulator.authority,
      clientId: emulator.clientId,
      scopes: ["User.Read"],
      grants: [{ origin: site.origin, clientIds: [emulator.clientId] }],
    });
    // One sign-in in the broker (its own window), as a user would have done once for any app.
    const first = await context.newPage();
    await first.goto(appUrl());
    const window = context.waitForEvent("page", (p) => p !== first && p !== options);
    await first.locator("#sign-in").click();
    await fillLogin(await window, "adele@contoso.test");
    await expect(first.locator("#source")).toHaveText("extension");
    await first.close();

    const mark = await emulator.control.lastSeq();
    let windows = 0;
    context.on("page", () => windows++);
    const page = await context.newPage();
    await page.goto(appUrl());
    await expect(page.locator("#source")).toHaveText("extension");
    await page.locator("#load").click();
    await expect(page.locator("#name")).toHaveText("Adele Vance");
    expect(windows).toBe(1); // the tab itself; no sign-in window
    const log = await emulator.control.requests({ since: mark });
    expect(log.filter((e) => e.endpoint === "authorize")).toHaveLength(0);
    expect(log.filter((e) => e.endpoint === "token" && e.origin === site.origin)).toHaveLength(0);
    expect(log.filter((e) => e.endpoint === "me" && e.status === 200)).toHaveLength(1);
  } finally {
    await context?.close();
    rmSync(profileDir, { recursive: true, force: true });
  }
});
