import type { EmulatorControl, RequestLogEntry, RunningEmulator } from "../kit/emulator/control-client.js";
import type { DemoBrowser, Engine, Page } from "./demo-browser.js";
import type { FaultWindow, Screenshot } from "./report.js";
import type { ShellApp } from "./shell-tab.js";

/** Short windows so the whole story runs in about a minute (the README and report say so). */
export interface DemoTiming {
  /** Retry-After of the 429 storm, seconds. */
  retryAfterSeconds: number;
  /** Length of the 5xx outage, ms. */
  outageMs: number;
}

export const DEMO_TIMING: DemoTiming = { retryAfterSeconds: 10, outageMs: 12_000 };

/** Everything a step needs; steps add fault windows, screenshots and tabs as they go. */
export interface DemoContext {
  emulator: RunningEmulator;
  control: EmulatorControl;
  apps: [ShellApp, ShellApp];
  timing: DemoTiming;
  headless: boolean;
  engine: Engine;
  browser: DemoBrowser;
  tabs: Page[];
  faults: FaultWindow[];
  screenshots: Screenshot[];
  /** Pages that opened without us asking (sign-in windows), counted per step. */
  unexpectedWindows: number;
  url(app: ShellApp): string;
  /** Relaunches the browser with the same profile (a browser restart). */
  restartBrowser(): Promise<void>;
  log(line: string): void;
}

/** What a step reports: its verdict and plain sentences for the console and the report. */
interface StepResult {
  ok: boolean;
  lines: string[];
}

export type Step = { title: string; run(ctx: DemoContext): Promise<StepResult> };

export function requestsSince(ctx: DemoContext, seq: number): Promise<RequestLogEntry[]> {
  return ctx.control.requests({ since: seq });
}

/** Token-endpoint requests the client made (CORS preflights excluded). */
export const tokenRequests = (entries: RequestLogEntry[]) => entries.filter((e) => e.endpoint === "token" && e.method !== "OPTIONS");
