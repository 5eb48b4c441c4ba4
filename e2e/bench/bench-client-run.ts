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
import type { EmulatorControl, RequestLogEntry } from "../kit/emulator/control-client.js";
import { percentile } from "./stats.js";

export type ClientKind = "extension" | "msal" | "naive";

const CLIENT_LABELS: Record<ClientKind, string> = {
  extension: "(a) extension broker ← unmodified msal-browser nestable app",
  msal: "(b) plain msal-browser PublicClientApplication per tab",
  naive: "(c) naive client (localStorage, immediate retries)",
};

const PAGE: Record<ClientKind, string> = { extension: "nestable", msal: "standard", naive: "naive" };

export interface BenchWindows {
  tabs: number;
  steadyRequests: number;
  retryAfterSeconds: number;
  outageMs: number;
  /** How long every tab forces a refresh every second with the IdP healthy. */
  forcedLoopMs: number;
  /** A token request unanswered after this long counts as not served. */
  callCapMs: number;
}

export interface PhaseResult {
  /** IdP requests by type ("token:refresh_token", "authorize:GET", …), CORS preflights excluded. */
  idp: Record<string, number>;
  idpTotal: number;
  preflights: number;
  prompts: number;
  asked: number;
  served: number;
  /** Of those, asks for a FRESH token (forceRefresh) and how many got a token. */
  freshAsked: number;
  freshServed: number;
  /** Calls with no answer within the cap (the page was left waiting). */
  unanswered: number;
  p50?: number;
  p99?: number;
  /** Token requests that reached the IdP inside a Retry-After window (storm only). */
  insideRetryAfter?: number;
  invalidGrants: number;
  /** Requests the emulator answered with AADSTS50196 (request loop). */
  loopAnswers: number;
  durationMs: number;
}

export interface ClientResult {
  kind: ClientKind;
  label: string;
  phases: Record<"coldStart" | "steady" | "storm" | "outage" | "forcedLoop", PhaseResult>;
}

export interface BenchEnv {
  authority: string;
  clientId: string;
  emulatorUrl: string;
  siteUrl: string;
  control: EmulatorControl;
  windows: BenchWindows;
  log(line: string): void;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Outcome = BenchOutcome & { fresh: boolean };

async function acquire(page: Page, forceRefresh: boolean, capMs: number): Promise<Outcome> {
  const call = page.evaluate((f) => window.__bench!.acquire({ forceRefresh: f }), forceRefresh) as Promise<BenchOutcome>;
  const outcome = await Promise.race([call, sleep(capMs).then((): BenchOutcome => ({ ok: false, code: "no_answer", ms: capMs }))]);
  return { ...outcome, fresh: forceRefresh };
}

function phaseFrom(entries: RequestLogEntry[], outcomes: Outcome[], prompts: number, started: number): PhaseResult {
  const idp: Record<string, number> = {};
  let preflights = 0;
  for (const e of entries) {
    if (e.method === "OPTIONS") {
      preflights++;
      continue;
    }
    const type = e.endpoint === "token" ? `token:${e.grantType ?? (e.fault ? "faulted" : "other")}` : e.endpoint === "authorize" ? `authorize:${e.method}` : e.endpoint;
    idp[type] = (idp[type] ?? 0) + 1;
  }
  const latencies = outcomes.filter((o) => o.ok).map((o) => o.ms);
  const p50 = percentile(latencies, 50);
  const p99 = percentile(latencies, 99);
  return {
    idp,
    idpTotal: Object.values(idp).reduce((a, b) => a + b, 0),
    preflights,
    prompts,
    asked: outcomes.length,
    served: outcomes.filter((o) => o.ok).length,
    freshAsked: outcomes.filter((o) => o.fresh).length,
    freshServed: outcomes.filter((o) => o.fresh && o.ok).length,
    unanswered: outcomes.filter((o) => o.code === "no_answer").length,
    ...(p50 !== undefined ? { p50 } : {}),
    ...(p99 !== undefined ? { p99 } : {}),
    invalidGrants: entries.filter((e) => e.error === "invalid_grant").length,
    loopAnswers: entries.filter((e) => e.fault === "request_loop").length,
    durationMs: Date.now() - started,
  };
}

/** Runs the four workloads for one client in its own fresh browser profile, against the shared emulator. */
export async function runClient(kind: ClientKind, env: BenchEnv): Promise<ClientResult> {
  const { control, windows } = env;
  const profileDir = mkdtempSync(join(tmpdir(), `bench-${kind}-`));
  const browser: BrowserContext =
    kind === "extension" ? await launchWithExtension(profileDir) : await launchBrowser({ userDataDir: profileDir, allowThirdPartyCookies: kind === "msal" });
  let prompts = 0;
  browser.on("page", (p) => {
    p.waitForURL((u) => u.href.startsWith(env.emulatorUrl), { timeout: 30_000 }).then(() => prompts++, () => undefined);
  });
  const url = `${env.siteUrl}${PAGE[kind]}.html?${new URLSearchParams({ authority: env.authority, clientId: env.clientId, scopes: "User.Read", loginHint: "adele@contoso.test" })}`;
  const openTab = async () => {
    const page = await browser.newPage();
    await page.goto(url);
    await page.waitForFunction(() => window.__bench?.ready === true, undefined, { timeout: 30_000 });
    return page;
  };
  const measure = async (run: () => Promise<Outcome[]>) => {
    const mark = await control.lastSeq();
    const promptsBefore = prompts;
    const started = Date.now();
    const outcomes = await run();
    await sleep(300);
    const entries = await control.requests({ since: mark });
    return { entries, result: phaseFrom(entries, outcomes, prompts - promptsBefore, started) };
  };

  try {
    if (kind === "extension") {
      await configureExtension(browser, { authority: env.authority, clientId: env.clientId, scopes: ["User.Read"], grants: [{ origin: new URL(env.siteUrl).origin, clientIds: [env.clientId] }] });
      await raiseBudgets(browser);
    }
    const tabs: Page[] = [];

    // 1. Cold start: one interactive sign-in, then N tabs open at once and each asks for a token.
    const cold = await measure(async () => {
      const first = await openTab();
      tabs.push(first);
      const signInWindow = browser.waitForEvent("page", { timeout: 30_000 });
      const signIn = first.evaluate(() => window.__bench!.signIn()) as Promise<BenchOutcome>;
      await fillLogin(await signInWindow, "adele@contoso.test");
      const signedIn = await signIn;
      if (!signedIn.ok) throw new Error(`${kind}: interactive sign-in failed (${signedIn.code})`);
      const more = await Promise.all(Array.from({ length: windows.tabs - 1 }, () => openTab()));
      tabs.push(...more);
      const outcomes = await Promise.all(tabs.map((t) => acquire(t, false, windows.callCapMs)));
      return outcomes; // latencies of the tabs' token requests; the sign-in itself counts as a prompt
    });
    env.log(`  cold start: ${cold.result.served}/${cold.result.asked} served, ${cold.result.idpTotal} IdP requests, ${cold.result.prompts} prompts`);

    // 2. Steady state: the tabs ask round-robin, one request per tab at a time.
    const steady = await measure(async () => {
      const outcomes: Outcome[] = [];
      for (let i = 0; outcomes.length < windows.steadyRequests; i++) {
        const batch = tabs.slice(0, Math.min(tabs.length, windows.steadyRequests - outcomes.length));
        outcomes.push(...(await Promise.all(batch.map((t) => acquire(t, false, windows.callCapMs)))));
      }
      return outcomes;
    });
    env.log(`  steady state: ${steady.result.served}/${steady.result.asked} served, ${steady.result.idpTotal} IdP requests`);

    // 3. Retry-After storm: 429 on /token; every tab needs a fresh token every second for the window.
    const waitMs = windows.retryAfterSeconds * 1000;
    const storm = await measure(async () => {
      await control.setFault({ endpoint: "token", type: "status", status: 429, retryAfter: windows.retryAfterSeconds, durationMs: waitMs });
      return tabLoops(tabs, waitMs - 500, windows.callCapMs, [true]);
    });
    const first429 = storm.entries.find((e) => e.endpoint === "token" && e.status === 429 && e.method !== "OPTIONS");
    storm.result.insideRetryAfter = first429
      ? storm.entries.filter((e) => e.endpoint === "token" && e.method !== "OPTIONS" && e.seq > first429.seq && e.time < first429.time + waitMs).length
      : 0;
    env.log(`  Retry-After storm: ${storm.result.insideRetryAfter} token requests inside Retry-After, ${storm.result.served}/${storm.result.asked} served`);
    await sleep(Math.max(0, (first429?.time ?? Date.now()) + waitMs + 500 - Date.now()));
    await control.clearFaults();

    // 4. 5xx outage: 503 on /token; every tab needs a fresh token every second.
    const outage = await measure(async () => {
      await control.setFault({ endpoint: "token", type: "status", status: 503, durationMs: windows.outageMs });
      // Apps keep using their tokens (cached asks) while every tab also needs a fresh one.
      return tabLoops(tabs, windows.outageMs, windows.callCapMs, [false, true]);
    });
    env.log(`  5xx outage: ${outage.result.served}/${outage.result.asked} served (fresh ${outage.result.freshServed}/${outage.result.freshAsked}, ${outage.result.unanswered} unanswered after ${windows.callCapMs / 1000} s), ${outage.result.idpTotal} IdP requests`);
    await control.clearFaults();

    // 5. A forced-refresh loop with the IdP healthy: every tab wants a fresh token every second. Entra
    // answers such loops with AADSTS50196 (the emulator's loop detection); a broker must never trip it.
    const forcedLoop = await measure(() => tabLoops(tabs, windows.forcedLoopMs, windows.callCapMs, [true]));
    env.log(`  forced-refresh loop: ${forcedLoop.result.served}/${forcedLoop.result.asked} served, ${forcedLoop.result.idpTotal} IdP requests, ${forcedLoop.result.loopAnswers} AADSTS50196`);

    return {
      kind,
      label: CLIENT_LABELS[kind],
      phases: { coldStart: cold.result, steady: steady.result, storm: storm.result, outage: outage.result, forcedLoop: forcedLoop.result },
    };
  } finally {
    await browser.close().catch(() => undefined);
    rmSync(profileDir, { recursive: true, force: true });
  }
}

/** In each tab, one loop per mode (fresh = forceRefresh) asks once a second until `durationMs` has passed. */
async function tabLoops(tabs: Page[], durationMs: number, capMs: number, modes: boolean[]): Promise<Outcome[]> {
  const started = Date.now();
  const outcomes: Outcome[] = [];
  await Promise.all(
    tabs.flatMap((tab) =>
      modes.map(async (fresh) => {
        while (Date.now() - started < durationMs) {
          const asked = Date.now();
          outcomes.push(await acquire(tab, fresh, capMs));
          await sleep(Math.max(0, 1000 - (Date.now() - asked)));
        }
      }),
    ),
  );
  return outcomes;
}
