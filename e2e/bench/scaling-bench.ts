/**
 * The scaling workload (`npm run bench`): a simulated working session — N tabs of 5 apps on 3 origins,
 * each tab asking for its app's token every few seconds while short-lived access tokens expire and
 * renew — for N = 1, 5, 10, 25, run for each client side by side against one emulator. What it counts
 * (from the emulator's request log, not the clients' word): IdP requests and sign-in windows, and how
 * many asks were served. The claim it tests: the broker's IdP traffic stays flat as tabs grow, because
 * one worker serves every tab; a client per tab grows with the tabs.
 */
import type { BrowserContext, Page } from "@playwright/test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BenchOutcome } from "../fixtures/bench-clients/bench-api.js";
import { launchBrowser } from "../support/chromium.js";
import { fillLogin } from "../support/extension-browser.js";
import { launchWithExtension } from "../demo/browser.js";
import { configureExtension } from "../demo/extension-control.js";
import { raiseBudgets } from "./raise-budgets.js";
import type { EmulatorControl } from "../kit/emulator/control-client.js";
import type { ClientKind } from "./bench-client-run.js";

const USER = "adele@contoso.test";
const PAGE: Record<ClientKind, string> = { extension: "nestable", msal: "standard", naive: "naive" };
/** Five apps: each lives on one of the three origins and asks for one resource. */
const APPS = [
  { site: 0, scopes: "User.Read" },
  { site: 1, scopes: "api://demo/Data.Read" },
  { site: 2, scopes: "User.Read" },
  { site: 0, scopes: "api://demo/Data.Read" },
  { site: 1, scopes: "User.Read" },
] as const;

export interface ScalingOptions {
  tabCounts: number[];
  sessionMs: number;
  accessTokenSeconds: number;
  /** Every tab asks for a token this often (jittered). */
  askEveryMs: number;
}

export interface ScalingCell {
  tabs: number;
  idpRequests: number;
  /** Of those, refresh-token grants. */
  refreshGrants: number;
  signInWindows: number;
  asked: number;
  served: number;
  loopAnswers: number;
}

export interface ScalingEnv {
  authority: string;
  clientId: string;
  emulatorUrl: string;
  /** Three static sites (three origins) serving the bench client pages. */
  siteUrls: string[];
  control: EmulatorControl;
  log(line: string): void;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function appUrl(env: ScalingEnv, kind: ClientKind, app: (typeof APPS)[number], renewBeforeSeconds: number): string {
  const query = new URLSearchParams({ authority: env.authority, clientId: env.clientId, scopes: app.scopes, loginHint: USER, renewBeforeSeconds: String(renewBeforeSeconds) });
  return `${env.siteUrls[app.site]}${PAGE[kind]}.html?${query}`;
}

/** One client, one tab count: a fresh profile, sign-ins as that client needs them, then the session. */
async function runCell(kind: ClientKind, tabs: number, env: ScalingEnv, options: ScalingOptions): Promise<ScalingCell> {
  const { control } = env;
  // MSAL renews 300 s before expiry by default — 5–8 % of Entra's 60–90 min; the same share here.
  const renewBeforeSeconds = Math.max(1, Math.round(options.accessTokenSeconds * 0.07));
  const profileDir = mkdtempSync(join(tmpdir(), `bench-scale-${kind}-`));
  const browser: BrowserContext =
    kind === "extension" ? await launchWithExtension(profileDir) : await launchBrowser({ userDataDir: profileDir, allowThirdPartyCookies: kind === "msal" });
  try {
    await control.reset();
    // The broker declares cp1, and Entra gives CAE-capable clients 20–28 h tokens: shorten both.
    await control.setLifetimes({ accessTokenSeconds: options.accessTokenSeconds, caeAccessTokenSeconds: options.accessTokenSeconds });
    const mark = await control.lastSeq();
    if (kind === "extension") {
      await configureExtension(browser, {
        authority: env.authority,
        clientId: env.clientId,
        scopes: ["User.Read"],
        grants: env.siteUrls.map((url) => ({ origin: new URL(url).origin, clientIds: [env.clientId], scopes: ["User.Read", "api://demo/Data.Read"] })),
      });
      await raiseBudgets(browser);
    }
    let signInWindows = 0;
    const ask = async (page: Page): Promise<BenchOutcome> => {
      const outcome = (await page.evaluate(() => window.__bench!.acquire())) as BenchOutcome;
      if (outcome.ok || !/interaction|no_account|login_required|consent/i.test(outcome.code ?? "")) return outcome;
      // The client cannot go on without the user: one sign-in window, as a person would see it.
      signInWindows++;
      const opened = browser.waitForEvent("page", { timeout: 30_000 });
      const signIn = page.evaluate(() => window.__bench!.signIn()) as Promise<BenchOutcome>;
      const signInWindow = await opened;
      // With an IdP session already in the browser the window may close by itself (no form to fill).
      await Promise.race([fillLogin(signInWindow, USER), signInWindow.waitForEvent("close", { timeout: 30_000 })]).catch((error: unknown) => {
        if (!signInWindow.isClosed()) throw error;
      });
      return signIn;
    };
    const pages: Page[] = [];
    for (let i = 0; i < tabs; i++) {
      const page = await browser.newPage();
      await page.goto(appUrl(env, kind, APPS[i % APPS.length]!, renewBeforeSeconds));
      await page.waitForFunction(() => window.__bench?.ready === true, undefined, { timeout: 30_000 });
      const first = await ask(page);
      if (!first.ok) env.log(`    ${kind}: tab ${i + 1} could not get a first token (${first.code})`);
      pages.push(page);
    }
    let asked = 0;
    let served = 0;
    const started = Date.now();
    await Promise.all(
      pages.map(async (page, i) => {
        await sleep((options.askEveryMs * i) / pages.length); // spread the tabs over the interval
        while (Date.now() - started < options.sessionMs) {
          const t0 = Date.now();
          asked++;
          const outcome = await ask(page);
          if (outcome.ok) served++;
          await sleep(Math.max(0, options.askEveryMs - (Date.now() - t0)));
        }
      }),
    );
    const entries = (await control.requests({ since: mark })).filter((e) => e.method !== "OPTIONS" && (e.endpoint === "token" || e.endpoint === "authorize"));
    return {
      tabs,
      idpRequests: entries.length,
      refreshGrants: entries.filter((e) => e.grantType === "refresh_token").length,
      signInWindows,
      asked,
      served,
      loopAnswers: entries.filter((e) => e.fault === "request_loop").length,
    };
  } finally {
    await browser.close().catch(() => undefined);
    rmSync(profileDir, { recursive: true, force: true });
    await control.reset();
  }
}

export async function runScaling(kinds: ClientKind[], env: ScalingEnv, options: ScalingOptions): Promise<Record<string, ScalingCell[]>> {
  const results: Record<string, ScalingCell[]> = {};
  for (const kind of kinds) {
    results[kind] = [];
    for (const tabs of options.tabCounts) {
      const cell = await runCell(kind, tabs, env, options);
      env.log(`  ${kind}, ${tabs} tab(s): ${cell.idpRequests} IdP requests (${cell.refreshGrants} refresh grants), ${cell.signInWindows} sign-in windows, ${cell.served}/${cell.asked} served, ${cell.loopAnswers} AADSTS50196`);
      results[kind].push(cell);
    }
  }
  return results;
}
