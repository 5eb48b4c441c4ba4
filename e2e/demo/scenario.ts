import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { startTestEmulator } from "../kit/emulator/control-client.js";
import { configureBroker } from "../support/extension-browser.js";
import { launchDemoBrowser, type Engine } from "./demo-browser.js";
import { withoutPreflights } from "./request-summary.js";
import { renderReport, type StepOutcome } from "./report.js";
import { serveStatic, type StaticSite } from "./static-server.js";
import { shellUrl, type ShellApp } from "./shell-tab.js";
import { DEMO_TIMING, type DemoContext, type DemoTiming, type Step } from "./demo-context.js";
import { DEMO_STEPS } from "./steps.js";

export interface DemoOptions {
  headless?: boolean;
  /** Default "chromium"; "firefox" runs the same story in Firefox ESR with the XPI. */
  engine?: Engine;
  timing?: Partial<DemoTiming>;
  /** Where report/index.html goes (default ./report). */
  reportDir?: string;
  /** Progress lines (default console.log). */
  log?: (line: string) => void;
  steps?: Step[];
}

export interface DemoResult {
  ok: boolean;
  steps: StepOutcome[];
  reportPath: string;
}

/**
 * The narrated resilience story (`npm start`, and e2e/tests/demo.spec.ts headless): an in-process
 * emulator, two apps on two origins serving the SPA shell, Chromium (or Firefox) with the extension, seven steps,
 * each judged from what the emulator logged. Writes report/index.html.
 */
export async function runDemo(options: DemoOptions = {}): Promise<DemoResult> {
  const log = options.log ?? ((line: string) => console.log(line));
  const timing = { ...DEMO_TIMING, ...options.timing };
  const headless = options.headless ?? true;
  const engine = options.engine ?? "chromium";
  const startedAt = Date.now();
  const emulator = await startTestEmulator();
  const { control } = emulator;
  const sites: StaticSite[] = [await serveStatic("dist/web-test"), await serveStatic("dist/web-test")];
  const apps: [ShellApp, ShellApp] = [
    { name: "Contoso portal", siteUrl: sites[0]!.url },
    { name: "Fabrikam intranet", siteUrl: sites[1]!.url },
  ];
  log(`Browser: ${engine === "firefox" ? "Firefox (the add-on from dist/extension-firefox.xpi)" : "Chromium (the extension from dist/extension)"}`);
  log(`Identity emulator: ${emulator.url} (tenant ${emulator.tenant})`);
  log(`Apps: ${apps.map((a) => `${a.name} at ${a.siteUrl}`).join(", ")}`);
  log(`Short windows for the demo: Retry-After ${timing.retryAfterSeconds} s, outage ${Math.round(timing.outageMs / 1000)} s.`);

  const watchWindows = () => void ctx.browser.watchSignInWindows(() => ctx.unexpectedWindows++);

  const ctx: DemoContext = {
    emulator,
    control,
    apps,
    timing,
    headless,
    engine,
    browser: await launchDemoBrowser(engine, emulator, headless),
    tabs: [],
    faults: [],
    screenshots: [],
    unexpectedWindows: 0,
    url: (app) => shellUrl(app, emulator.authority, emulator.clientId),
    async restartBrowser() {
      await ctx.browser.restart();
      watchWindows();
      // No wait for the bridge registration: a tab that loads before the worker re-registers it gets
      // it injected (adopt-open-tabs.ts) and the shell switches to the extension in place (issue 12).
    },
    log,
  };
  watchWindows();

  const outcomes: StepOutcome[] = [];
  const reportDir = resolve(options.reportDir ?? "report");
  const reportPath = join(reportDir, "index.html");
  try {
    await configureBroker(await ctx.browser.extensionMessenger(), {
      authority: emulator.authority,
      clientId: emulator.clientId,
      scopes: ["User.Read"],
      grants: apps.map((a) => ({ origin: new URL(a.siteUrl).origin, clientIds: [emulator.clientId] })),
    });
    log(`Extension configured for the emulator; ${apps.length} origins granted.`);
    const steps = options.steps ?? DEMO_STEPS;
    for (const [index, step] of steps.entries()) {
      log(`\n[${index + 1}/${steps.length}] ${step.title}`);
      const stepStarted = Date.now();
      let result;
      try {
        result = await step.run(ctx);
      } catch (error) {
        result = { ok: false, lines: [`The step failed: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`] };
      }
      for (const line of result.lines) log(`    ${line}`);
      log(`    ${result.ok ? "✔ passed" : "✘ FAILED"} (${((Date.now() - stepStarted) / 1000).toFixed(1)} s)`);
      outcomes.push({ title: step.title, ok: result.ok, startedAt: stepStarted, endedAt: Date.now(), lines: result.lines });
      if (!result.ok && index === 0) break; // nothing else can work without the first sign-in
    }
  } finally {
    const entries = await control.requests().catch(() => []);
    const endedAt = Date.now();
    mkdirSync(reportDir, { recursive: true });
    writeFileSync(
      reportPath,
      renderReport({
        title: `Resilient token broker — demo report (${engine === "firefox" ? "Firefox" : "Chromium"})`,
        startedAt,
        endedAt,
        environment: {
          date: new Date(startedAt).toISOString(),
          emulator: emulator.url,
          apps: apps.map((a) => `${a.name} (${a.siteUrl})`).join(", "),
          "short windows": `Retry-After ${timing.retryAfterSeconds} s, outage ${Math.round(timing.outageMs / 1000)} s`,
          browser: engine === "firefox" ? "Firefox" : "Chromium",
          mode: headless ? "headless" : "headed",
          node: process.version,
        },
        steps: outcomes,
        requests: withoutPreflights(entries),
        faults: ctx.faults,
        screenshots: ctx.screenshots,
      }),
    );
    await ctx.browser.close().catch(() => undefined);
    await Promise.all(sites.map((s) => s.close()));
    await emulator.close();
  }
  const ok = outcomes.length === (options.steps ?? DEMO_STEPS).length && outcomes.every((o) => o.ok);
  return { ok, steps: outcomes, reportPath };
}
