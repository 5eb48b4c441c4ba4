// `npm run bench` → scripts/bench.mjs → here. One emulator, three clients side by side, then the
// component benchmarks (emulator, cache lookup, extension) when their modules exist.
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { performance } from "node:perf_hooks";
import { resolve } from "node:path";
import { startTestEmulator } from "../kit/emulator/control-client.js";
import { serveStatic } from "../demo/static-server.js";
import { buildBenchClients } from "./build-clients.js";
import { runClient, type BenchWindows, type ClientKind, type ClientResult } from "./bench-client-run.js";
import { renderScaling, renderSideBySide } from "./report-table.js";
import { runScaling, type ScalingOptions } from "./scaling-bench.js";
import { renderColdStart, runColdStartBench } from "./cold-start-bench.js";
import { BENCH_BUDGETS, BUDGETS_NOTE } from "./raise-budgets.js";

const args = process.argv.slice(2);
const quick = args.includes("--quick");
const windows: BenchWindows = {
  tabs: 10,
  steadyRequests: quick ? 200 : 1000,
  retryAfterSeconds: quick ? 6 : 15,
  outageMs: quick ? 8_000 : 20_000,
  forcedLoopMs: 12_000,
  callCapMs: 10_000,
};
const only = args.find((a) => a.startsWith("--clients="))?.slice("--clients=".length).split(",") as ClientKind[] | undefined;
const kinds: ClientKind[] = only ?? ["extension", "msal", "naive"];
/** `--only=scaling` runs just the scaling workload; `--skip-scaling` everything but. */
const onlyScaling = args.includes("--only=scaling");
/** `--only=cold-start` runs just the cold starts on both engines (Chromium and Firefox). */
const onlyColdStart = args.includes("--only=cold-start");
const skipScaling = args.includes("--skip-scaling");
const scaling: ScalingOptions = quick
  ? { tabCounts: [1, 5, 10], sessionMs: 30_000, accessTokenSeconds: 15, askEveryMs: 3_000 }
  : { tabCounts: [1, 5, 10, 25], sessionMs: 60_000, accessTokenSeconds: 20, askEveryMs: 3_000 };

async function optionalBench(label: string, path: string, run: (mod: Record<string, unknown>) => Promise<unknown>): Promise<unknown> {
  if (!existsSync(resolve(path))) return { skipped: `${path} not found` };
  try {
    console.log(`\n▶ ${label}`);
    const mod = (await import(resolve(path))) as Record<string, unknown>;
    const result = await run(mod);
    console.log(JSON.stringify(result, null, 2).slice(0, 2500));
    return result;
  } catch (error) {
    console.log(`  ${label} failed: ${error instanceof Error ? error.message : String(error)}`);
    return { failed: error instanceof Error ? error.message : String(error) };
  }
}

const firstRunFunction = (mod: Record<string, unknown>) =>
  Object.entries(mod).find(([name, value]) => typeof value === "function" && /^run/.test(name))?.[1] as ((...a: unknown[]) => Promise<unknown>) | undefined;

/**
 * `--only=activity` (or `--only=memory`, `--only=write-cost`): just the activity record's rows
 * (e2e/bench/activity-bench.ts), written to bench/activity-results.json; the full run includes them.
 */
const onlyActivity = ({ "--only=activity": ["write-cost", "memory"], "--only=memory": ["memory"], "--only=write-cost": ["write-cost"] } as const)[
  args.find((a) => ["--only=activity", "--only=memory", "--only=write-cost"].includes(a)) as "--only=activity" | "--only=memory" | "--only=write-cost"
];
console.log(BUDGETS_NOTE);
if (onlyActivity) {
  const { runActivityBench } = await import("./activity-bench.js");
  const result = await runActivityBench({ parts: [...onlyActivity], ...(quick ? { samples: 100, rounds: 2 } : {}) });
  console.log(JSON.stringify(result, null, 2));
  mkdirSync("bench", { recursive: true });
  writeFileSync("bench/activity-results.json", `${JSON.stringify({ date: new Date().toISOString(), budgets: BENCH_BUDGETS, ...result }, null, 2)}\n`);
  process.exit(0);
}
/** `--only=budget-cost`: the cached round trip with the default budgets and the raised ones (e2e/bench/budget-bench.ts). */
if (args.includes("--only=budget-cost")) {
  const { runBudgetBench } = await import("./budget-bench.js");
  const result = await runBudgetBench(quick ? { samples: 160 } : {});
  console.log(JSON.stringify(result, null, 2));
  mkdirSync("bench", { recursive: true });
  writeFileSync("bench/budget-results.json", `${JSON.stringify({ date: new Date().toISOString(), ...result }, null, 2)}\n`);
  process.exit(0);
}

const started = Date.now();
console.log(`Side-by-side bench: ${windows.tabs} tabs, ${windows.steadyRequests} steady-state requests, Retry-After storm ${windows.retryAfterSeconds} s, 5xx outage ${windows.outageMs / 1000} s, forced-refresh loop ${windows.forcedLoopMs / 1000} s`);
console.log("(windows are shorter than the 30 s / 60 s of the brief so the run takes a few minutes; storm and outage ask for a FRESH token — forceRefresh — every second in every tab)");
const emulator = await startTestEmulator();
const { control } = emulator;
const clientsDir = await buildBenchClients();
const site = await serveStatic(clientsDir);
const clients: ClientResult[] = [];
const extraSites = !onlyColdStart && (onlyScaling || !skipScaling) ? [await serveStatic(clientsDir), await serveStatic(clientsDir)] : [];
let scalingResults: Record<string, unknown> | undefined;
try {
  for (const kind of onlyScaling || onlyColdStart ? [] : kinds) {
    console.log(`\n▶ ${kind}`);
    await control.clearFaults();
    clients.push(
      await runClient(kind, {
        authority: emulator.authority,
        clientId: emulator.clientId,
        emulatorUrl: emulator.url,
        siteUrl: site.url,
        control,
        windows,
        log: (line) => console.log(line),
      }),
    );
  }
  if (clients.length > 0) console.log(renderSideBySide(clients));
  if (extraSites.length > 0) {
    console.log(`\n▶ scaling: ${scaling.tabCounts.join(", ")} tabs × ${kinds.join(", ")}, ${scaling.sessionMs / 1000} s sessions with ${scaling.accessTokenSeconds} s access tokens`);
    const env = { authority: emulator.authority, clientId: emulator.clientId, emulatorUrl: emulator.url, control, log: (line: string) => console.log(line) };
    const results = await runScaling(kinds, { ...env, siteUrls: [site.url, ...extraSites.map((s) => s.url)] }, scaling);
    console.log(renderScaling(results, scaling));
    scalingResults = { options: scaling, results };
  }
} finally {
  await Promise.all([site, ...extraSites].map((s) => s.close()));
  await emulator.close();
}

/** Both engines' cold starts, as a table (Firefox is found by scripts/find-firefox.mjs). */
async function coldStartBench(): Promise<unknown> {
  console.log("\n▶ cold start, Chromium and Firefox");
  try {
    const result = await runColdStartBench();
    console.log(renderColdStart(result));
    return result;
  } catch (error) {
    console.log(`  cold start bench failed: ${error instanceof Error ? error.message : String(error)}`);
    return { failed: error instanceof Error ? error.message : String(error) };
  }
}

const components = onlyScaling ? {} : onlyColdStart ? { coldStart: await coldStartBench() } : {
  emulator: await optionalBench("emulator bench", "e2e/bench/emulator-bench.ts", async (mod) => firstRunFunction(mod)?.({})),
  cacheLookup: await optionalBench("cache lookup bench", "e2e/bench/cache-lookup-bench.ts", async (mod) => firstRunFunction(mod)?.(() => performance.now())),
  extension: await optionalBench("extension bench", "e2e/bench/extension-bench.ts", async (mod) => firstRunFunction(mod)?.({})),
  coldStart: await coldStartBench(),
  budgetCost: await optionalBench("budget cost bench (default vs raised budgets)", "e2e/bench/budget-bench.ts", async (mod) => firstRunFunction(mod)?.({})),
  activity: await optionalBench("activity record bench (write cost, worker memory)", "e2e/bench/activity-bench.ts", async (mod) => firstRunFunction(mod)?.({})),
};

mkdirSync("bench", { recursive: true });
const results = {
  date: new Date(started).toISOString(),
  machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? "unknown", memoryGb: Math.round(totalmem() / 2 ** 30), node: process.version, platform: process.platform },
  windows,
  budgets: BENCH_BUDGETS,
  clients,
  scaling: scalingResults,
  components,
  durationS: Math.round((Date.now() - started) / 1000),
};
writeFileSync("bench/results.json", `${JSON.stringify(results, null, 2)}\n`);
console.log(`\nWrote bench/results.json (${results.durationS} s).`);
process.exit(0);
