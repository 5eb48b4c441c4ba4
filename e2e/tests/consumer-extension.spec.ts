/**
 * Consumer test of `resilient-token-broker/extension-broker`: a third-party MV3 extension, written
 * and bundled (esbuild) outside this repository from the packed tarball, with its own manifest, key
 * and ID and only the identity, storage and alarms permissions. In real Chromium it signs in through
 * its own launchWebAuthFlow against the emulator and gets a token in its worker, with which its worker
 * reads Microsoft Graph through Kiota's msgraph-sdk (`resilient-token-broker/graph`); after a worker kill
 * and after a browser restart it gets the same token again with no prompt and no IdP request (the
 * emulator's request log is the truth).
 */
import { expect, test, type BrowserContext, type Page, type Worker } from "@playwright/test";
import { createHash, generateKeyPairSync } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { launchBrowser } from "../support/chromium.js";
import { createConsumerProject, sameVersionAs, typecheckConsumer, type ConsumerProject } from "../support/consumer-project.js";
import { fillLogin, stopServiceWorkers, USERNAME } from "../support/extension-browser.js";
import { EmulatorHandle } from "../support/extension-emulator.js";

test.describe.configure({ mode: "serial" });

/** The consumer's own app registration (the emulator, like Entra, wants a GUID). */
const CLIENT_ID = "7c0a3f3e-4b1d-4e55-9a43-0c5e1d2b6f81";
/** esbuild is not a direct devDependency of this repository: pin the version its lockfile installed. */
const ESBUILD_VERSION = (JSON.parse(readFileSync(resolve(import.meta.dirname, "../../node_modules/esbuild/package.json"), "utf8")) as { version: string }).version;

/** A manifest `key` and the extension ID Chromium derives from it (SHA-256 of the key, a–p for 0–f). */
function extensionIdentity(): { key: string; id: string } {
  const { publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const der = publicKey.export({ type: "spki", format: "der" });
  const hex = createHash("sha256").update(der).digest("hex").slice(0, 32);
  return { key: der.toString("base64"), id: [...hex].map((c) => String.fromCharCode(97 + parseInt(c, 16))).join("") };
}

/** The consumer's service worker, as its author would write it (TypeScript, public names only). */
const WORKER_SOURCE = (authority: string, graphUrl: string) => `
import { AllowedHostsValidator, BaseBearerTokenAuthenticationProvider } from "@microsoft/kiota-abstractions";
import { createGraphServiceClient, GraphRequestAdapter } from "@microsoft/msgraph-sdk";
import "@microsoft/msgraph-sdk-users";
import { createExtensionBroker } from "resilient-token-broker/extension-broker";
import { fromExtensionBroker, kiotaAccessTokenProvider } from "resilient-token-broker/graph";

const broker = createExtensionBroker({ authority: ${JSON.stringify(authority)}, clientId: ${JSON.stringify(CLIENT_ID)}, scopes: ["User.Read"] });
// Microsoft Graph from the worker (Kiota's msgraph-sdk); the emulator's host stands in for graph.microsoft.com.
const graphUrl = ${JSON.stringify(graphUrl)};
const graphTokens = kiotaAccessTokenProvider(fromExtensionBroker(broker), { scopes: ["User.Read"], AllowedHostsValidator, allowedHosts: [new URL(graphUrl).hostname] });
const adapter = new GraphRequestAdapter(new BaseBearerTokenAuthenticationProvider(graphTokens));
adapter.baseUrl = graphUrl + "/v1.0";
const graph = createGraphServiceClient(adapter);
const instance = crypto.randomUUID();
let events = 0;
broker.subscribe(() => void events++);

async function fingerprint(token: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(token));
  return Array.from(new Uint8Array(digest).slice(0, 8), (b) => b.toString(16).padStart(2, "0")).join("");
}

async function answer(message: { kind?: string }) {
  if (message.kind === "signIn") return { username: (await broker.signIn()).username };
  if (message.kind === "token") {
    const result = await broker.acquireToken({ scopes: ["User.Read"] }); // silent: never a prompt
    return { source: result.source, username: result.account.username, fingerprint: await fingerprint(result.accessToken), instance };
  }
  if (message.kind === "graph") return { displayName: (await graph.me.get())?.displayName };
  if (message.kind === "status") {
    const status = await broker.status();
    return { accounts: status.accounts.length, cached: status.cache.length, nextAlarmAt: status.nextAlarmAt ?? null, events };
  }
  throw new Error("unknown message");
}

chrome.runtime.onMessage.addListener((message, _sender, sendResponse) => {
  answer(message).then(
    (value) => sendResponse({ ok: true, value }),
    (error: { code?: string; message?: string }) => sendResponse({ ok: false, code: error.code ?? "unknown", message: String(error.message) }),
  );
  return true;
});
`;

let emulator: EmulatorHandle;
let project: ConsumerProject;
let extensionDir: string;
let extensionId: string;
let userDataDir: string;
let context: BrowserContext;

type Reply<T> = { ok: true; value: T } | { ok: false; code: string; message: string };
interface TokenAnswer {
  source: string;
  username: string;
  fingerprint: string;
  instance: string;
}

async function launch(): Promise<void> {
  context = await launchBrowser({ userDataDir, extensionDir });
  await consumerWorker();
}

function consumerWorker(): Promise<Worker> {
  const isConsumer = (w: Worker) => w.url().startsWith(`chrome-extension://${extensionId}/`);
  const existing = context.serviceWorkers().find(isConsumer);
  return existing ? Promise.resolve(existing) : context.waitForEvent("serviceworker", { predicate: isConsumer, timeout: 15_000 });
}

/** The consumer's own extension page: messages from it wake the worker like the author's popup would. */
async function consumerPage(): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`chrome-extension://${extensionId}/page.html`);
  return page;
}

async function send<T>(page: Page, message: Record<string, unknown>): Promise<T> {
  const reply = (await page.evaluate((m) => chrome.runtime.sendMessage(m), message)) as Reply<T> | undefined;
  if (!reply) throw new Error(`${String(message.kind)}: no answer`);
  if (!reply.ok) throw new Error(`${String(message.kind)} failed: ${reply.code}: ${reply.message}`);
  return reply.value;
}

/** Pages the browser opened since `mark` that belong to the IdP: a prompt would be one of them. */
function idpPagesOpenedAfter(opened: Page[]): Page[] {
  return opened.filter((p) => p.url().startsWith(emulator.url));
}

test.beforeAll(async () => {
  test.setTimeout(420_000);
  emulator = await EmulatorHandle.start();
  const identity = extensionIdentity();
  extensionId = identity.id;
  await emulator.registerClient({ clientId: CLIENT_ID, redirectUris: [`https://${extensionId}.chromiumapp.org/`], type: "spa" });
  const manifest = {
    manifest_version: 3,
    name: "Consumer extension (resilient-token-broker test)",
    version: "1.0.0",
    key: identity.key,
    background: { service_worker: "background.js", type: "module" },
    permissions: ["identity", "storage", "alarms"],
  };
  project = createConsumerProject({
    name: "extension",
    dependencies: {
      esbuild: ESBUILD_VERSION,
      typescript: sameVersionAs("typescript"),
      "@types/chrome": sameVersionAs("@types/chrome"),
      "@microsoft/kiota-abstractions": sameVersionAs("@microsoft/kiota-abstractions"),
      "@microsoft/msgraph-sdk": sameVersionAs("@microsoft/msgraph-sdk"),
      "@microsoft/msgraph-sdk-users": sameVersionAs("@microsoft/msgraph-sdk-users"),
    },
    files: {
      "src/background.ts": WORKER_SOURCE(emulator.authority, emulator.url),
      "ext/manifest.json": JSON.stringify(manifest, null, 2),
      "ext/page.html": "<!doctype html><title>consumer</title><p>consumer extension page</p>",
    },
  });
  // The author's own type-check, as a library repo would run it (moduleResolution nodenext).
  typecheckConsumer(project, { resolution: "nodenext", include: ["src"], types: ["chrome"] });
  project.run("npx", ["esbuild", "src/background.ts", "--bundle", "--format=esm", "--target=chrome116", "--outfile=ext/background.js", "--log-level=warning"]);
  extensionDir = join(project.dir, "ext");
  const bundle = readFileSync(join(extensionDir, "background.js"), "utf8");
  // Built from the tarball, not this repository's sources.
  expect(bundle).toContain("createExtensionBroker");
  expect(bundle).not.toContain(resolve(import.meta.dirname, "../.."));
  userDataDir = mkdtempSync(join(tmpdir(), "rtb-consumer-profile-"));
  await launch();
});

test.afterAll(async () => {
  await context?.close().catch(() => undefined);
  if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
  project?.remove();
  await emulator?.close();
});

let first: TokenAnswer;

test("the consumer signs in through its own launchWebAuthFlow and gets a token in its worker", async () => {
  const page = await consumerPage();
  const before = await emulator.lastSeq();
  const signIn = send<{ username: string }>(page, { kind: "signIn" });
  const popup = await context.waitForEvent("page", { predicate: (p) => p.url().startsWith(emulator.url) || p.url() === "about:blank", timeout: 20_000 });
  await popup.locator('input[name="username"]').waitFor({ timeout: 20_000 });
  await fillLogin(popup);
  expect((await signIn).username).toBe(USERNAME);
  // The emulator saw this extension's own redirect URI and client.
  const authorize = await emulator.requests({ since: before, endpoint: "authorize" });
  expect(authorize.length).toBeGreaterThan(0);
  expect((await emulator.tokenPosts(before)).map((r) => r.grantType)).toEqual(["authorization_code"]);

  const mark = await emulator.lastSeq();
  first = await send<TokenAnswer>(page, { kind: "token" });
  expect(first).toMatchObject({ source: "cache", username: USERNAME });
  expect(await emulator.requests({ since: mark })).toEqual([]);
  // Its own alarm is armed for the proactive refresh, and its subscriber saw the broker's events.
  const status = await send<{ accounts: number; cached: number; nextAlarmAt: number | null; events: number }>(page, { kind: "status" });
  expect(status.accounts).toBe(1);
  expect(status.nextAlarmAt).not.toBeNull();
  expect(status.events).toBeGreaterThan(0);
  await page.close();
});

test("the worker reads /v1.0/me with Kiota's msgraph-sdk over fromExtensionBroker: one Graph call, the token from the cache", async () => {
  const page = await consumerPage();
  const mark = await emulator.lastSeq();
  expect(await send<{ displayName: string }>(page, { kind: "graph" })).toEqual({ displayName: "Adele Vance" });
  const entries = (await emulator.requests({ since: mark })).filter((e) => e.method !== "OPTIONS");
  expect(entries.map((e) => [e.endpoint, e.status, e.username])).toEqual([["me", 200, USERNAME]]);
  await page.close();
});

test("after a worker kill: the same token from the encrypted cache, no prompt, no IdP request", async () => {
  const opened: Page[] = [];
  context.on("page", (p) => opened.push(p));
  await stopServiceWorkers(context.pages()[0] ?? (await context.newPage()));
  const mark = await emulator.lastSeq();
  const page = await consumerPage();
  const again = await send<TokenAnswer>(page, { kind: "token" });
  expect(again.instance).not.toBe(first.instance); // a fresh worker answered
  expect(again).toMatchObject({ source: "cache", fingerprint: first.fingerprint });
  expect(await emulator.requests({ since: mark })).toEqual([]);
  expect(idpPagesOpenedAfter(opened)).toEqual([]);
  await page.close();
});

test("after a browser restart (same profile): the same token, no prompt, no IdP request", async () => {
  await context.close();
  const mark = await emulator.lastSeq();
  await launch();
  const opened: Page[] = [];
  context.on("page", (p) => opened.push(p));
  const page = await consumerPage();
  const again = await send<TokenAnswer>(page, { kind: "token" });
  expect(again).toMatchObject({ source: "cache", fingerprint: first.fingerprint, username: USERNAME });
  expect(await emulator.requests({ since: mark })).toEqual([]);
  expect(idpPagesOpenedAfter(opened)).toEqual([]);
  await page.close();
});
