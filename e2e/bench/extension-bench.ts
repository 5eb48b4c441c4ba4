/**
 * Extension micro-benchmarks (printed by `npm run bench`, never asserted):
 * - cached-token round trip page → bridge → relay → worker → page, p50/p99, against a bare
 *   chrome.runtime message round trip (extension page → worker → back) measured in the same run;
 * (cold starts, on both engines: cold-start-bench.ts);
 * - gzipped size of each content script and of the worker bundle.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { EmulatorHandle } from "../support/extension-emulator.js";
import { EXTENSION_DIR, ExtensionBrowser } from "../support/extension-browser.js";
import { startFixtureServer } from "../support/extension-fixture-server.js";
import { appPopup } from "../support/extension-page-calls.js";
import { timeCachedRoundTrips } from "./bridge-timing.js";
import { raiseBudgets } from "./raise-budgets.js";
import { percentile } from "./stats.js";

export interface ExtensionBenchResult {
  roundTripMs: { bridgeP50?: number; bridgeP99?: number; runtimeP50?: number; runtimeP99?: number; ratioP50?: number; ratioP99?: number; samples: number };
  gzipBytes: Record<string, number>;
}

const round = (n: number | undefined) => (n === undefined ? undefined : Math.round(n * 100) / 100);

export async function runExtensionBench(options: { samples?: number } = {}): Promise<ExtensionBenchResult> {
  const samples = options.samples ?? 300;
  const gzipBytes: Record<string, number> = {};
  for (const file of ["naa-bridge.main.js", "relay.isolated.js", "background.js"]) {
    gzipBytes[file] = gzipSync(readFileSync(join(EXTENSION_DIR, file))).length;
  }

  const emulator = await EmulatorHandle.start();
  const fixture = await startFixtureServer();
  const browser = await new ExtensionBrowser(emulator).launch();
  try {
    await browser.configure([fixture.origin]);
    await raiseBudgets(await browser.worker());
    const appUrl = fixture.appUrl({ authority: emulator.authority, clientId: emulator.clientId });
    const page = await browser.openApp(appUrl);
    const [signedIn] = await Promise.all([appPopup(page), browser.completeSignIn()]);
    if (!signedIn.ok) throw new Error(`sign-in failed: ${signedIn.message}`);
    const clientId = emulator.clientId;

    // Warm both paths, then measure them interleaved in blocks so drift hits both equally.
    const bridgeTimes: number[] = [];
    const runtimeTimes: number[] = [];
    const messenger = await browser.extensionMessenger();
    const timeBridge = (n: number) => timeCachedRoundTrips(page, clientId, n);
    const timeRuntime = (n: number) =>
      messenger.evaluate(async (n) => {
        const times: number[] = [];
        for (let i = 0; i < n; i++) {
          const t0 = performance.now();
          await chrome.runtime.sendMessage({ kind: "ping" });
          times.push(performance.now() - t0);
        }
        return times;
      }, n);
    await timeBridge(20);
    await timeRuntime(20);
    const block = 50;
    for (let done = 0; done < samples; done += block) {
      bridgeTimes.push(...(await timeBridge(block)));
      runtimeTimes.push(...(await timeRuntime(block)));
    }

    const bridgeP50 = percentile(bridgeTimes, 50);
    const bridgeP99 = percentile(bridgeTimes, 99);
    const runtimeP50 = percentile(runtimeTimes, 50);
    const runtimeP99 = percentile(runtimeTimes, 99);
    return {
      roundTripMs: {
        bridgeP50: round(bridgeP50),
        bridgeP99: round(bridgeP99),
        runtimeP50: round(runtimeP50),
        runtimeP99: round(runtimeP99),
        ratioP50: bridgeP50 !== undefined && runtimeP50 ? round(bridgeP50 / runtimeP50) : undefined,
        ratioP99: bridgeP99 !== undefined && runtimeP99 ? round(bridgeP99 / runtimeP99) : undefined,
        samples: bridgeTimes.length,
      },
      gzipBytes,
    };
  } finally {
    await browser.close();
    await fixture.close();
    await emulator.close();
  }
}
