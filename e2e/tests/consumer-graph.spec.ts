// A TypeScript app outside the repository, from the packed tarball, with @microsoft/microsoft-graph-client
// and our provider (and no Kiota package installed): its own strict `tsc --noEmit` (skipLibCheck off)
// passes, and in Chromium it reads /v1.0/me through graph-client against the emulator.
import { expect, test, type Browser } from "@playwright/test";
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { launchPlain } from "../support/chromium.js";
import { createConsumerProject, sameVersionAs, type ConsumerProject } from "../support/consumer-project.js";
import { startTestEmulator, type TestEmulator } from "../kit/emulator/control-client.js";
import { fillLogin } from "../support/extension-browser.js";
import { startFixtureServer, type FixtureServer } from "../support/fixture-server.js";

/** esbuild is not a direct devDependency of this repository: pin the version its lockfile installed. */
const ESBUILD_VERSION = (JSON.parse(readFileSync(resolve(import.meta.dirname, "../../node_modules/esbuild/package.json"), "utf8")) as { version: string }).version;

const APP = `import { Client } from "@microsoft/microsoft-graph-client";
import { createAuthShell } from "resilient-token-broker/shell";
import { fromAuthShell, graphClientAuthProvider } from "resilient-token-broker/graph";

const query = new URLSearchParams(location.search);
const graphUrl = query.get("graph") ?? "https://graph.microsoft.com";
const output = document.getElementById("name") as HTMLParagraphElement;

const shell = await createAuthShell({ authority: query.get("authority") ?? "", clientId: query.get("clientId") ?? "" });
const client = Client.initWithMiddleware({
  authProvider: graphClientAuthProvider(fromAuthShell(shell), { scopes: ["User.Read"] }),
  baseUrl: graphUrl + "/",
  customHosts: new Set([new URL(graphUrl).hostname]),
});

document.getElementById("sign-in")!.addEventListener("click", async () => {
  output.dataset.account = (await shell.signIn()).username;
});
document.getElementById("load")!.addEventListener("click", async () => {
  const me: { displayName: string } = await client.api("/me").get();
  output.textContent = me.displayName;
});
`;

const TSCONFIG = {
  compilerOptions: { target: "ES2022", module: "ESNext", moduleResolution: "Bundler", lib: ["ES2022", "DOM", "DOM.Iterable"], strict: true, noEmit: true, skipLibCheck: false, types: [] },
  include: ["src"],
};

let project: ConsumerProject;
let site: FixtureServer;
let emulator: TestEmulator;

test.beforeAll(async () => {
  test.setTimeout(600_000);
  project = createConsumerProject({
    name: "graph-client",
    dependencies: {
      "@azure/msal-browser": sameVersionAs("@azure/msal-browser"),
      "@microsoft/microsoft-graph-client": sameVersionAs("@microsoft/microsoft-graph-client"),
      typescript: sameVersionAs("typescript"),
      esbuild: ESBUILD_VERSION,
    },
    files: {
      "src/app.ts": APP,
      "src/redirect.ts": `import { completePopupSignIn } from "resilient-token-broker/shell";\nvoid completePopupSignIn();\n`,
      "tsconfig.json": JSON.stringify(TSCONFIG, null, 2),
    },
  });
  for (const name of ["app", "redirect"]) {
    project.run("npx", ["esbuild", `src/${name}.ts`, "--bundle", "--format=esm", "--target=es2022", `--outfile=dist/${name}.js`, "--log-level=warning"]);
  }
  emulator = await startTestEmulator();
  const read = (name: string) => readFileSync(join(project.dir, "dist", name), "utf8");
  site = await startFixtureServer({
    routes: {
      "/": { html: '<!doctype html><button id="sign-in">Sign in</button><button id="load">Load</button><p id="name"></p><script type="module" src="/app.js"></script>' },
      "/app.js": { text: read("app.js"), contentType: "text/javascript" },
      "/redirect.html": { html: '<!doctype html><script type="module" src="/redirect.js"></script>' },
      "/redirect.js": { text: read("redirect.js"), contentType: "text/javascript" },
    },
  });
});

test.afterAll(async () => {
  await site?.close();
  await emulator?.close();
  project?.remove();
});

test("the consumer's own strict tsc passes without any Kiota package, and /graph and /shell load no Graph SDK themselves", () => {
  project.run("npx", ["tsc", "--noEmit", "-p", "tsconfig.json"]);
  // No built module of the package (entries and their shared chunks) imports a Graph SDK.
  const installed = join(project.dir, "node_modules/resilient-token-broker/dist/lib");
  const modules = readdirSync(installed, { recursive: true }).map(String).filter((file) => file.endsWith(".js"));
  expect(modules).toEqual(expect.arrayContaining(["graph.js", "shell.js"]));
  for (const file of modules) expect(readFileSync(join(installed, file), "utf8"), file).not.toMatch(/(?:from|import)\s*\(?\s*["']@microsoft\//);
});

test("consumer app: graph-client with our provider reads /v1.0/me against the emulator", async () => {
  let browser: Browser | undefined;
  try {
    browser = await launchPlain();
    const page = await (await browser.newContext({ ignoreHTTPSErrors: true })).newPage();
    await page.goto(`${site.origin}/?${new URLSearchParams({ authority: emulator.authority, clientId: emulator.clientId, graph: emulator.url })}`);
    const popup = page.waitForEvent("popup");
    await page.locator("#sign-in").click();
    await fillLogin(await popup, "adele@contoso.test");
    await expect(page.locator("#name")).toHaveAttribute("data-account", "adele@contoso.test");
    const mark = await emulator.control.lastSeq();
    await page.locator("#load").click();
    await expect(page.locator("#name")).toHaveText("Adele Vance");
    const me = (await emulator.control.requests({ since: mark })).filter((e) => e.endpoint === "me" && e.method === "GET");
    expect(me.map((e) => [e.status, e.username])).toEqual([[200, "adele@contoso.test"]]);
  } finally {
    await browser?.close();
  }
});
