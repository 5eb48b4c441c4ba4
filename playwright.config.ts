import { defineConfig } from "@playwright/test";

/**
 * End-to-end tests in real Chromium (Debian's, via CHROMIUM_PATH or /usr/bin/chromium; see
 * e2e/support/chromium.ts). Each spec starts its own emulator on a free port, so files run in parallel.
 */
export default defineConfig({
  testDir: "e2e/tests",
  testMatch: "**/*.spec.ts",
  timeout: 120_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: Number(process.env.E2E_WORKERS ?? 2),
  retries: 0,
  reporter: [["list"], ["json", { outputFile: "test-results/playwright.json" }]],
  outputDir: "test-results/playwright-artifacts",
  globalSetup: "./e2e/support/global-setup.ts",
});
