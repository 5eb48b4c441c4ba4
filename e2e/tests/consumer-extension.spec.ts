/**
 * Consumer test of `resilient-token-broker/extension-broker`: a third-party MV3 extension, written
 * in TypeScript (type-checked under nodenext) and bundled (esbuild) outside this repository from the
 * packed tarball, with its own manifest, key, Gecko ID and only the identity, storage and alarms
 * permissions — one source, built for both engines. In real Chromium and in real Firefox it signs in
 * through its own launchWebAuthFlow against the emulator and gets a token in its background, with
 * which it reads Microsoft Graph through Kiota's msgraph-sdk (`resilient-token-broker/graph`); after a worker kill (Firefox: its event page
 * suspended) and after a browser restart it gets the same token again with no prompt and no IdP
 * request (the emulator's request log is the truth); its activity record (the library-caller path) keeps
 * every token it was served, across both, with no token value in it.
 */
import { expect, test, type BrowserContext, type Worker } from "@playwright/test";
import { createHash, generateKeyPairSync } from "node:crypto";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { Browser as Firefox, Target } from "puppeteer-core";
import { chromeManifest, firefoxManifest, zipDirectory } from "../../scripts/manifests.mjs";
import { launchBrowser } from "../support/chromium.js";
import { createConsumerProject, sameVersionAs, typecheckConsumer, type ConsumerProject } from "../support/consumer-project.js";
import { fillLogin, stopServiceWorkers, USERNAME } from "../support/extension-browser.js";
import { EmulatorHandle } from "../support/extension-emulator.js";
import { inPage, type Page } from "../support/extension-page-calls.js";
import { firefoxRedirectUri } from "../support/firefox-browser.js";
import { installAddon, launchFirefox, openAddonPage, suspendBackground } from "../support/firefox.js";

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
  if (message.kind === "activity") {
    // What the author would show their user: who got which token, from where. Never a token value.
    const token = (await broker.acquireToken({ scopes: ["User.Read"] })).accessToken;
    const entries = await broker.activity();
    return {
      served: entries.map((e) => e.caller + "/" + e.source),
      origins: [...new Set(entries.flatMap((e) => [e.origin, e.frameOrigin]))],
      usernames: [...new Set(entries.map((e) => e.username))],
      holdsToken: JSON.stringify(entries).includes(token),
      lastUse: Object.keys(await broker.lastUse()),
    };
  }
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

type Reply<T> = { ok: true; value: T } | { ok: false; code: string; message: string };
interface TokenAnswer {
  source: string;
  username: string;
  fingerprint: string;
  instance: string;
}

/** The consumer extension loaded into one engine, driven the same way on both. */
interface ConsumerBrowser {
  /** The extension's own origin (chrome-extension://<id>, moz-extension://<uuid>): where its worker's calls come from. */
  origin: string;
  /** Starts the browser on the consumer's profile (the first start installs the extension). */
  launch(): Promise<void>;
  /** Closes the browser, keeping the profile (a restart is quit() then launch()). */
  quit(): Promise<void>;
  /** Closes the browser and deletes the profile. */
  close(): Promise<void>;
  /** The consumer's own extension page: messages from it wake the background like the author's popup would. */
  page(): Promise<Page>;
  /** The launchWebAuthFlow window, once it shows the login form. */
  signInWindow(): Promise<Page>;
  /** Chromium: stops the service worker; Firefox: suspends the event page. */
  stopBackground(): Promise<void>;
  /** Counts the windows that show the IdP from now on; call the result to read the count. */
  watchIdpWindows(): () => number;
}

const GECKO_ID = "consumer-extension@example.test";
const FIREFOX_UUID = "8d0b6a6e-2f4c-4b1e-9a3d-5c7e1f2a4b60";

/** The author's one manifest; the engines' builds come from it as this repository's own do (scripts/manifests.mjs). */
function consumerManifest(key: string) {
  return {
    manifest_version: 3,
    name: "Consumer extension (resilient-token-broker test)",
    version: "1.0.0",
    key,
    background: { service_worker: "background.js", type: "module" },
    permissions: ["identity", "storage", "alarms"],
    browser_specific_settings: { gecko: { id: GECKO_ID, strict_min_version: "128.0" } },
  };
}

function chromiumConsumer(extensionDir: string, extensionId: string): ConsumerBrowser {
  const userDataDir = mkdtempSync(join(tmpdir(), "rtb-consumer-profile-"));
  let context: BrowserContext;
  const isConsumer = (w: Worker) => w.url().startsWith(`chrome-extension://${extensionId}/`);
  return {
    origin: `chrome-extension://${extensionId}`,
    async launch() {
      context = await launchBrowser({ userDataDir, extensionDir });
      if (!context.serviceWorkers().some(isConsumer)) await context.waitForEvent("serviceworker", { predicate: isConsumer, timeout: 15_000 });
    },
    quit: async () => context?.close().catch(() => undefined),
    async close() {
      await this.quit();
      rmSync(userDataDir, { recursive: true, force: true });
    },
    async page() {
      const page = await context.newPage();
      await page.goto(`chrome-extension://${extensionId}/page.html`);
      return page;
    },
    async signInWindow() {
      const popup = await context.waitForEvent("page", { predicate: (p) => p.url().startsWith(emulator.url) || p.url() === "about:blank", timeout: 20_000 });
      await popup.locator('input[name="username"]').waitFor({ timeout: 20_000 });
      return popup;
    },
    stopBackground: async () => stopServiceWorkers(context.pages()[0] ?? (await context.newPage())),
    watchIdpWindows() {
      const opened: Array<{ url(): string }> = [];
      context.on("page", (p) => opened.push(p));
      return () => opened.filter((p) => p.url().startsWith(emulator.url)).length;
    },
  };
}

function firefoxConsumer(xpi: string): ConsumerBrowser {
  const userDataDir = mkdtempSync(join(tmpdir(), "rtb-consumer-ff-profile-"));
  let browser: Firefox;
  let installed = false;
  const seen = new WeakSet<object>();
  return {
    origin: `moz-extension://${FIREFOX_UUID}`,
    async launch() {
      browser = await launchFirefox({ userDataDir, extensionUuids: { [GECKO_ID]: FIREFOX_UUID } });
      if (!installed) expect(await installAddon(browser, xpi)).toBe(GECKO_ID);
      installed = true;
    },
    quit: async () => browser?.close().catch(() => undefined),
    async close() {
      await this.quit();
      rmSync(userDataDir, { recursive: true, force: true });
    },
    page: () => openAddonPage(browser, `moz-extension://${FIREFOX_UUID}/page.html`),
    async signInWindow() {
      for (let i = 0; i < 400; i++) {
        for (const page of await browser.pages()) {
          if (seen.has(page) || !page.url().startsWith(emulator.url) || !(await page.$('input[name="username"]').catch(() => null))) continue;
          seen.add(page);
          return page;
        }
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error("no sign-in window opened");
    },
    stopBackground: () => suspendBackground(browser, GECKO_ID),
    watchIdpWindows() {
      const opened = new Set<Target>();
      const onTarget = (t: Target) => void (t.url().startsWith(emulator.url) && opened.add(t));
      browser.on("targetcreated", onTarget);
      browser.on("targetchanged", onTarget);
      return () => opened.size;
    },
  };
}

async function send<T>(page: Page, message: Record<string, unknown>): Promise<T> {
  const reply = (await inPage(page, (m) => chrome.runtime.sendMessage(m), message)) as Reply<T> | undefined;
  if (!reply) throw new Error(`${String(message.kind)}: no answer`);
  if (!reply.ok) throw new Error(`${String(message.kind)} failed: ${reply.code}: ${reply.message}`);
  return reply.value;
}

test.beforeAll(async () => {
  test.setTimeout(420_000);
  emulator = await EmulatorHandle.start();
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
      "ext/page.html": "<!doctype html><title>consumer</title><p>consumer extension page</p>",
    },
  });
  // The author's own type-check, as a library repo would run it (moduleResolution nodenext).
  typecheckConsumer(project, { resolution: "nodenext", include: ["src"], types: ["chrome"] });
  project.run("npx", ["esbuild", "src/background.ts", "--bundle", "--format=esm", "--target=chrome116", "--outfile=ext/background.js", "--log-level=warning"]);
  const bundle = readFileSync(join(project.dir, "ext/background.js"), "utf8");
  // Built from the tarball, not this repository's sources.
  expect(bundle).toContain("createExtensionBroker");
  expect(bundle).not.toContain(resolve(import.meta.dirname, "../.."));
});

test.afterAll(async () => {
  project?.remove();
  await emulator?.close();
});

/** The consumer's unpacked build for one engine: the shared files and that engine's manifest. */
function buildFor(engine: string, manifest: Record<string, unknown>): string {
  const dir = join(project.dir, `ext-${engine}`);
  cpSync(join(project.dir, "ext"), dir, { recursive: true });
  writeFileSync(join(dir, "manifest.json"), JSON.stringify(manifest, null, 2));
  return dir;
}

const engines: Array<{ name: string; start(): Promise<{ browser: ConsumerBrowser; redirectUri: string }> }> = [
  {
    name: "Chromium",
    async start() {
      const identity = extensionIdentity();
      const dir = buildFor("chromium", chromeManifest(consumerManifest(identity.key)));
      return { browser: chromiumConsumer(dir, identity.id), redirectUri: `https://${identity.id}.chromiumapp.org/` };
    },
  },
  {
    name: "Firefox",
    async start() {
      const dir = buildFor("firefox", firefoxManifest(consumerManifest(extensionIdentity().key)));
      const xpi = join(project.dir, "consumer.xpi");
      writeFileSync(xpi, zipDirectory(dir));
      return { browser: firefoxConsumer(xpi), redirectUri: firefoxRedirectUri(GECKO_ID) };
    },
  },
];

for (const engine of engines) {
  test.describe(engine.name, () => {
    let browser: ConsumerBrowser;
    let first: TokenAnswer;

    test.beforeAll(async () => {
      const started = await engine.start();
      browser = started.browser;
      await emulator.registerClient({ clientId: CLIENT_ID, redirectUris: [started.redirectUri], type: "spa" });
      await browser.launch();
    });

    test.afterAll(async () => {
      await browser?.close();
    });

    test("the consumer signs in through its own launchWebAuthFlow and gets a token in its background", async () => {
      const page = await browser.page();
      const before = await emulator.lastSeq();
      const signIn = send<{ username: string }>(page, { kind: "signIn" });
      await fillLogin(await browser.signInWindow());
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

    test("the background reads /v1.0/me with Kiota's msgraph-sdk over fromExtensionBroker: one Graph call, the token from the cache", async () => {
      const page = await browser.page();
      const mark = await emulator.lastSeq();
      expect(await send<{ displayName: string }>(page, { kind: "graph" })).toEqual({ displayName: "Adele Vance" });
      const entries = (await emulator.requests({ since: mark })).filter((e) => e.method !== "OPTIONS");
      expect(entries.map((e) => [e.endpoint, e.status, e.username])).toEqual([["me", 200, USERNAME]]);
      await page.close();
    });

    test("after a worker kill (Firefox: event page suspended): the same token from the encrypted cache, no prompt, no IdP request", async () => {
      const idpWindows = browser.watchIdpWindows();
      await browser.stopBackground();
      const mark = await emulator.lastSeq();
      const page = await browser.page();
      const again = await send<TokenAnswer>(page, { kind: "token" });
      expect(again.instance).not.toBe(first.instance); // a fresh background answered
      expect(again).toMatchObject({ source: "cache", fingerprint: first.fingerprint });
      expect(await emulator.requests({ since: mark })).toEqual([]);
      expect(idpWindows()).toBe(0);
      await page.close();
    });

    test("after a browser restart (same profile): the same token, no prompt, no IdP request", async () => {
      await browser.quit();
      const mark = await emulator.lastSeq();
      await browser.launch();
      const idpWindows = browser.watchIdpWindows();
      const page = await browser.page();
      const again = await send<TokenAnswer>(page, { kind: "token" });
      expect(again).toMatchObject({ source: "cache", fingerprint: first.fingerprint, username: USERNAME });
      expect(await emulator.requests({ since: mark })).toEqual([]);
      expect(idpWindows()).toBe(0);
      await page.close();
    });

    test("its activity record kept every token served to it, across the worker kill and the restart, without a token value", async () => {
      const page = await browser.page();
      const record = await send<{ served: string[]; origins: string[]; usernames: string[]; holdsToken: boolean; lastUse: string[] }>(page, { kind: "activity" });
      // Newest first: this ask; the two asks after the kill and the restart; Graph's; the first ask; the sign-in.
      expect(record.served).toEqual(["library/cache", "library/cache", "library/cache", "library/cache", "library/cache", "sign-in/interactive"]);
      expect(record.origins).toEqual([browser.origin]);
      expect(record.usernames).toEqual([USERNAME]);
      expect(record.holdsToken).toBe(false);
      expect(record.lastUse).toEqual([browser.origin]);
      await page.close();
    });
  });
}
