/**
 * Consumer test of the test kit (issue 8): pack the testkit package (e2e/kit), install the tarball into a project
 * outside it, and run that project's own Playwright spec, which drives an unmodified
 * @azure/msal-browser PublicClientApplication through sign-in, a 429 and a revocation using only
 * `resilient-token-broker-testkit/playwright` and `resilient-token-broker-testkit/emulator`. Also: the
 * `entra-emulator` bin, and that the kit's runtime imports are all installed by a plain install.
 */
import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { builtinModules, createRequire } from "node:module";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { expect, test } from "@playwright/test";
import { findChromium } from "../support/chromium.js";
import { createConsumerProject, sameVersionAs, typecheckConsumer, type ConsumerProject } from "../support/consumer-project.js";
import { CONSUMER_APP_TS, CONSUMER_INDEX_HTML, CONSUMER_PLAYWRIGHT_CONFIG, CONSUMER_SPEC_TS } from "./consumer-emulator-project.js";

test.describe.configure({ mode: "serial" });
test.setTimeout(600_000);

const esbuildVersion = (JSON.parse(readFileSync(createRequire(import.meta.url).resolve("esbuild/package.json"), "utf8")) as { version: string }).version;
let project: ConsumerProject;

test.beforeAll(() => {
  project = createConsumerProject({
    name: "emulator-kit",
    packages: ["resilient-token-broker-testkit"],
    dependencies: {
      "@playwright/test": sameVersionAs("@playwright/test"),
      "@azure/msal-browser": sameVersionAs("@azure/msal-browser"),
      typescript: sameVersionAs("typescript"),
      "@types/node": sameVersionAs("@types/node"),
      // The version this repository already has (vite's), so the install hits npm's cache.
      esbuild: esbuildVersion,
    },
    files: {
      "app/app.js": CONSUMER_APP_TS,
      "public/index.html": CONSUMER_INDEX_HTML,
      "playwright.config.ts": CONSUMER_PLAYWRIGHT_CONFIG,
      "tests/msal-resilience.spec.ts": CONSUMER_SPEC_TS,
    },
  });
});
test.afterAll(() => project?.remove());

test("the consumer's spec and Playwright config type-check with its own tsc under moduleResolution nodenext", () => {
  expect(() => typecheckConsumer(project, { resolution: "nodenext", include: ["tests", "playwright.config.ts"], types: ["node"] })).not.toThrow();
});

test("the consumer's own `npx playwright test` passes: MSAL sign-in, a 429 and a revocation against the kit", () => {
  project.run("npx", ["esbuild", "app/app.js", "--bundle", "--format=iife", "--platform=browser", "--target=es2022", "--outfile=public/app.js", "--log-level=warning"]);
  let output = "";
  try {
    output = project.run("npx", ["playwright", "test"], { env: { CHROMIUM_PATH: findChromium() ?? "/usr/bin/chromium", CI: "1" }, timeoutMs: 300_000 });
  } finally {
    const results = JSON.parse(readFileSync(join(project.dir, "results.json"), "utf8")) as { stats: { expected: number; unexpected: number; skipped: number; flaky: number } };
    expect(results.stats, output).toEqual(expect.objectContaining({ expected: 4, unexpected: 0, skipped: 0, flaky: 0 }));
  }
  // What MSAL made of Entra's plain-text 429 (for the record in the test output).
  const seen = /msal-429-error (\{.*\})/.exec(output)?.[1];
  expect(seen, output).toBeDefined();
  console.log(`MSAL on a plain-text 429: ${seen}`);
});

test("`entra-emulator` from the install: --port 0 prints the JSON start line, --help exits 0, unknown flags fail with a sentence", async () => {
  expect(project.run("npx", ["entra-emulator", "--help"])).toContain("Usage: entra-emulator");
  expect(() => project.run("npx", ["entra-emulator", "--prot", "0"])).toThrow(/Unknown option '--prot'/);
  const child = spawn("npx", ["entra-emulator", "--port", "0"], { cwd: project.dir, stdio: ["ignore", "pipe", "pipe"] });
  try {
    const firstLine = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout! }).once("line", resolve);
      child.once("exit", (code) => reject(new Error(`entra-emulator exited with ${code} before its start line`)));
    });
    const start = JSON.parse(firstLine) as Record<string, unknown>;
    expect(Object.keys(start)).toEqual(["url", "tenant", "clientId"]);
    expect(String(start.url)).toMatch(/^https:\/\/localhost:\d+$/);
  } finally {
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    await exited;
  }
});

test("the kit's runtime imports are dependencies (or node built-ins; @playwright/test is a peer the kit's user has)", () => {
  const base = join(project.dir, "node_modules", "resilient-token-broker-testkit");
  const pkg = JSON.parse(readFileSync(join(base, "package.json"), "utf8")) as { dependencies: Record<string, string> };
  const files = ["dist/lib/emulator.js", "dist/lib/playwright.js", "dist/lib/entra-emulator.js", ...readdirSync(join(base, "dist/lib/chunks")).filter((f) => f.endsWith(".js")).map((f) => `dist/lib/chunks/${f}`)];
  const imported = new Set<string>();
  for (const file of files) {
    for (const m of readFileSync(join(base, file), "utf8").matchAll(/^(?:import|export)\b[^"']*?from\s*["']([^"'.][^"']*)["']|^import\s*["']([^"'.][^"']*)["']/gm)) {
      const spec = m[1] ?? m[2]!;
      imported.add(spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : spec.split("/")[0]!);
    }
  }
  const builtins = new Set(builtinModules.flatMap((b) => [b, `node:${b}`]));
  const notInstalled = [...imported].filter((name) => !builtins.has(name) && !(name in pkg.dependencies) && name !== "@playwright/test");
  expect(imported.size).toBeGreaterThan(2);
  expect(notInstalled).toEqual([]);
});
