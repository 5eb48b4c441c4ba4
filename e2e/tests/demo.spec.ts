// `npm start`'s narrated scenario, run headless with short windows: every step must pass, and the
// report must be written with its timeline.
import { expect, test } from "@playwright/test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { runDemo } from "../demo/scenario.js";

// Both engines: `npm start -- --browser firefox` is the same story with the XPI (issue 18).
for (const engine of ["chromium", "firefox"] as const) {
  test(`the npm start scenario runs green headless in ${engine} and writes its report`, async () => {
    const testInfo = test.info();
    test.setTimeout(300_000);
    const lines: string[] = [];
    const result = await runDemo({
      headless: true,
      engine,
      timing: { retryAfterSeconds: 6, outageMs: 11_000 },
      reportDir: join(testInfo.outputDir, "report"),
      log: (line) => lines.push(line),
    });
    const failed = result.steps.filter((s) => !s.ok).map((s) => `${s.title}: ${s.lines.join(" | ")}`);
    expect(failed, lines.join("\n")).toEqual([]);
    expect(result.steps).toHaveLength(7);
    expect(result.ok).toBe(true);

    const html = readFileSync(result.reportPath, "utf8");
    expect(html).toContain(`demo report (${engine === "firefox" ? "Firefox" : "Chromium"})`);
    expect(html).toContain("<svg");
    expect(html).toContain("All steps passed");
    expect(html).toContain("Retry-After 6 s");
    expect((html.match(/<circle /g) ?? []).length).toBeGreaterThan(5);
    expect((html.match(/data:image\/png;base64,/g) ?? []).length).toBeGreaterThanOrEqual(3);
    // The popup pictured in each state (issue 10), confirmed by its status-summary before the picture.
    for (const state of ["backing off", "throttled", "needs sign-in", "signed out"]) expect(html).toContain(`Popup — ${state}:`);
    // No token value ever reaches the report.
    expect(html).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\./);
  });
}
