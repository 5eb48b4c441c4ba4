/**
 * What the activity record costs (issue 22; printed by `npm run bench`, never asserted):
 * - write cost: the cached-token round trip (page → bridge → worker → page) with the record and
 *   without it, side by side — the second from a build of the same worker with `activity: false`
 *   (mode "bench-no-activity", see extension/background/main.ts); rounds alternate which goes first;
 * - memory: the worker's heap after a full GC (CDP Runtime.getHeapUsage) signed in with one token,
 *   and again with 1,000 cached tokens and 10,000 activity entries in the store (seeded, then the
 *   worker restarted and asked once, so the broker loaded them), after the whole record was read.
 *
 * `npm run bench -- --only=activity` runs both; `--only=memory` or `--only=write-cost` one of them.
 */
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { build } from "vite";
import { entryAliases } from "../../scripts/entry-points.mjs";
import { EXTENSION_ID } from "../../shared/config/extension-ids.js";
import { EmulatorHandle } from "../support/extension-emulator.js";
import { EXTENSION_DIR, ExtensionBrowser } from "../support/extension-browser.js";
import { startFixtureServer, type FixtureServer } from "../support/extension-fixture-server.js";
import { appPopup, rawBridgeCall } from "../support/extension-page-calls.js";
import { timeCachedRoundTrips } from "./bridge-timing.js";
import { raiseBudgets } from "./raise-budgets.js";
import { seedWorkerStore } from "./seed-worker-store.js";
import { sideBySide, type SampleSummary } from "./stats.js";
import { workerHeap } from "./worker-heap.js";

export type ActivityBenchPart = "memory" | "write-cost";

export interface ActivityBenchResult {
  writeCost?: {
    /** Round trip in ms (a page's performance.now() is coarsened to 0.1 ms, hence the mean beside the percentiles). */
    withRecord: SampleSummary;
    withoutRecord: SampleSummary;
    /** with / without: the goal is ≤ 1.10 (the round trip grows at most 10 %). */
    ratio: SampleSummary;
    samplesEach: number;
    /** Entries on record after the runs of each build: proves which build recorded. */
    recorded: { withRecord: number; withoutRecord: number };
  };
  memory?: {
    accessTokens: number;
    activityEntries: number;
    /** Signed in, one cached token, a handful of entries. */
    baselineHeapMB: number;
    /** With the seeded store loaded (goal ≤ 8 MB). */
    loadedHeapMB: number;
    /** What the broker reported having loaded. */
    loaded: { cachedTokens: number; activityEntries: number };
    /** Reading the whole record over the UI channel (worker side + message), ms: the first time, and again. */
    readAllMs: number;
    readAgainMs: number;
  };
}

const mb = (bytes: number) => Math.round((bytes / 2 ** 20) * 100) / 100;
const WORKER_URL = `chrome-extension://${EXTENSION_ID}/`;

/** dist/extension with its worker rebuilt in mode "bench-no-activity" (no activity record), in a temp dir. */
async function buildWithoutRecord(): Promise<string> {
  const root = resolve(import.meta.dirname, "../..");
  const dir = mkdtempSync(join(tmpdir(), "rtb-no-activity-"));
  cpSync(EXTENSION_DIR, dir, { recursive: true });
  // The same bundle as scripts/build.mjs makes of the worker, in another mode.
  await build({
    configFile: false,
    logLevel: "warn",
    root,
    mode: "bench-no-activity",
    resolve: { alias: entryAliases() },
    build: {
      outDir: dir,
      emptyOutDir: false,
      copyPublicDir: false,
      minify: true,
      target: "chrome116",
      lib: { entry: join(root, "extension/background/main.ts"), formats: ["es"], name: "rtb", fileName: () => "background.js" },
      rolldownOptions: { output: { codeSplitting: false } },
    },
  });
  return dir;
}

async function signedIn(emulator: EmulatorHandle, fixture: FixtureServer, extensionDir: string) {
  const browser = await new ExtensionBrowser(emulator).launch({ extensionDir });
  await browser.configure([fixture.origin]);
  await raiseBudgets(await browser.worker());
  const page = await browser.openApp(fixture.appUrl({ authority: emulator.authority, clientId: emulator.clientId }));
  const [result] = await Promise.all([appPopup(page), browser.completeSignIn()]);
  if (!result.ok) throw new Error(`sign-in failed: ${result.message}`);
  // The options page that configured the broker polls the record (and the status) while open: close it,
  // so the round trips measure serving and recording, not someone reading the record meanwhile.
  await (await browser.extensionMessenger()).close();
  return { browser, page };
}

/** Reads the whole record from an extension page, as the options page's export does; timed in the page. */
async function readRecord(browser: ExtensionBrowser): Promise<{ entries: number; ms: number }> {
  const page = await browser.extensionMessenger();
  return page.evaluate(async () => {
    const t0 = performance.now();
    const reply = (await chrome.runtime.sendMessage({ kind: "getActivity" })) as { ok: boolean; value?: { entries: unknown[] } };
    if (!reply.ok || !reply.value) throw new Error("getActivity failed");
    return { entries: reply.value.entries.length, ms: performance.now() - t0 };
  });
}

async function measureWriteCost(emulator: EmulatorHandle, fixture: FixtureServer, samples: number, rounds: number): Promise<ActivityBenchResult["writeCost"]> {
  const withoutDir = await buildWithoutRecord();
  const times = { withRecord: [] as number[], withoutRecord: [] as number[] };
  const recorded = { withRecord: 0, withoutRecord: 0 };
  try {
    for (let r = 0; r < rounds; r++) {
      const order: Array<keyof typeof times> = r % 2 === 0 ? ["withRecord", "withoutRecord"] : ["withoutRecord", "withRecord"];
      for (const variant of order) {
        const { browser, page } = await signedIn(emulator, fixture, variant === "withRecord" ? EXTENSION_DIR : withoutDir);
        try {
          await timeCachedRoundTrips(page, emulator.clientId, 30); // warm-up
          times[variant].push(...(await timeCachedRoundTrips(page, emulator.clientId, Math.ceil(samples / rounds))));
          recorded[variant] = (await readRecord(browser)).entries;
        } finally {
          await browser.close();
        }
      }
    }
  } finally {
    rmSync(withoutDir, { recursive: true, force: true });
  }
  const compared = sideBySide(times.withRecord, times.withoutRecord);
  return {
    withRecord: compared.a,
    withoutRecord: compared.b,
    ratio: compared.ratio,
    samplesEach: times.withRecord.length,
    recorded,
  };
}

async function measureMemory(emulator: EmulatorHandle, fixture: FixtureServer, accessTokens: number, activityEntries: number): Promise<ActivityBenchResult["memory"]> {
  const { browser, page } = await signedIn(emulator, fixture, EXTENSION_DIR);
  try {
    const baseline = await workerHeap(browser.context, WORKER_URL);
    await seedWorkerStore(await browser.worker(), { accessTokens, activityEntries });
    await browser.stopWorker();
    // A fresh worker loads the cache on its first ask and the record's index on its first entry.
    const reply = await rawBridgeCall(page, { method: "GetToken", clientId: emulator.clientId });
    if (reply === "timeout" || !reply.success) throw new Error(`no token after the restart: ${JSON.stringify(reply)}`);
    const status = await browser.send<{ cache: unknown[] }>({ kind: "getStatus" });
    const first = await readRecord(browser);
    const again = await readRecord(browser);
    const loaded = await workerHeap(browser.context, WORKER_URL);
    return {
      accessTokens,
      activityEntries,
      baselineHeapMB: mb(baseline.usedSize),
      loadedHeapMB: mb(loaded.usedSize),
      loaded: { cachedTokens: status.cache.length, activityEntries: first.entries },
      readAllMs: Math.round(first.ms),
      readAgainMs: Math.round(again.ms),
    };
  } finally {
    await browser.close();
  }
}

export async function runActivityBench(options: { parts?: ActivityBenchPart[]; samples?: number; rounds?: number; accessTokens?: number; activityEntries?: number } = {}): Promise<ActivityBenchResult> {
  const parts = options.parts ?? ["write-cost", "memory"];
  const emulator = await EmulatorHandle.start();
  const fixture = await startFixtureServer();
  try {
    const result: ActivityBenchResult = {};
    if (parts.includes("write-cost")) result.writeCost = await measureWriteCost(emulator, fixture, options.samples ?? 800, options.rounds ?? 8);
    if (parts.includes("memory")) result.memory = await measureMemory(emulator, fixture, options.accessTokens ?? 1000, options.activityEntries ?? 10_000);
    return result;
  } finally {
    await fixture.close();
    await emulator.close();
  }
}
