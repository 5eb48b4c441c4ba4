/**
 * The extension pages' Content-Security-Policy (manifest.json `content_security_policy.extension_pages`,
 * issue 22): the built popup and options pages carry no inline script, run under the policy — `eval`,
 * `new Function` and an injected inline <script> are refused with a CSP violation — and still work
 * (they render, and make no violation of their own while doing so). The service worker is under the
 * same policy.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test, type BrowserContext, type Page } from "@playwright/test";
import { EXTENSION_ID } from "../../shared/config/extension-ids.js";
import { EXTENSION_DIR, launchWithExtension, serviceWorkerOf } from "../support/extension-browser.js";

test.describe.configure({ mode: "serial" });

const PAGES = ["popup.html", "options.html"] as const;
const manifest = JSON.parse(readFileSync(join(EXTENSION_DIR, "manifest.json"), "utf8")) as { content_security_policy: { extension_pages: string } };

let context: BrowserContext;
let profile: string;

/**
 * Records every securitypolicyviolation in the page from its first script on, and defines
 * `attemptAll()`: eval and new Function, each "ran" or the name of the error that refused it.
 */
const RECORD_VIOLATIONS = `
  window.__violations = [];
  const attempt = (run) => { try { run(); return "ran"; } catch (error) { return error.name; } };
  window.attemptAll = () => ({ eval: attempt(() => eval("1 + 1")), newFunction: attempt(() => new Function("return 1")()) });
  document.addEventListener("securitypolicyviolation", (e) => window.__violations.push({ directive: e.effectiveDirective, blocked: e.blockedURI, sample: e.sample }));
`;

async function violations(page: Page): Promise<Array<{ directive: string; blocked: string }>> {
  return page.evaluate(() => (window as unknown as { __violations: Array<{ directive: string; blocked: string }> }).__violations);
}

test.beforeAll(async () => {
  profile = mkdtempSync(join(tmpdir(), "rtb-csp-"));
  context = await launchWithExtension(profile);
  await context.addInitScript(RECORD_VIOLATIONS);
  await serviceWorkerOf(context);
});

test.afterAll(async () => {
  await context?.close();
  rmSync(profile, { recursive: true, force: true });
});

test.describe("built pages", () => {
  for (const name of PAGES) {
    test(`${name} has no inline script or inline event handler`, () => {
      const html = readFileSync(join(EXTENSION_DIR, name), "utf8");
      const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
      expect(scripts.length).toBeGreaterThan(0);
      for (const [, attributes, body] of scripts) {
        expect(attributes).toMatch(/\bsrc="\.\/assets\/[^"]+\.js"/);
        expect(body!.trim()).toBe("");
      }
      expect(html).not.toMatch(/\son[a-z]+\s*=|javascript:/i);
    });

    test(`${name} runs under the policy: it works, and eval, new Function and inline script are refused`, async () => {
      const page = await context.newPage();
      const response = await page.goto(`chrome-extension://${EXTENSION_ID}/${name}`);
      // The browser serves the page with the manifest's policy.
      expect(response?.headers()["content-security-policy"]).toBe(manifest.content_security_policy.extension_pages);
      // It works: React rendered the page from its bundled script, and nothing of its own was blocked.
      await expect(page.locator("h1")).toBeVisible();
      await expect(page.locator("section").first()).toBeVisible();
      expect(await violations(page)).toEqual([]);

      // Tried from a task of the page's own: code evaluated over DevTools may eval (allowUnsafeEvalBlockedByCSP).
      await page.evaluate(() => {
        const w = window as unknown as { __refused: unknown; attemptAll(): unknown };
        setTimeout(() => (w.__refused = w.attemptAll()), 0);
      });
      await expect.poll(() => page.evaluate(() => (window as unknown as { __refused?: unknown }).__refused)).toEqual({ eval: "EvalError", newFunction: "EvalError" });

      // An inline <script> added to the DOM (as an injection would) never runs.
      await page.evaluate(() => {
        const script = document.createElement("script");
        script.textContent = "window.__inlineRan = true;";
        document.body.append(script);
      });
      // Each refusal is reported as a violation: eval under script-src, the inline script under script-src-elem.
      await expect
        .poll(async () => (await violations(page)).map((v) => `${v.directive} ${v.blocked}`))
        .toEqual(expect.arrayContaining(["script-src eval", "script-src-elem inline"]));
      expect(await page.evaluate(() => (window as unknown as { __inlineRan?: boolean }).__inlineRan)).toBeUndefined();
      await page.close();
    });
  }
});

test("the service worker runs under the same policy: no eval there either", async () => {
  const worker = await serviceWorkerOf(context);
  // As in the pages: from a task of the worker's own, not inside the DevTools evaluation.
  await worker.evaluate(() => {
    setTimeout(() => {
      let outcome = "ran";
      try {
        eval("1 + 1");
      } catch (error) {
        outcome = (error as Error).name;
      }
      (globalThis as unknown as { __evalOutcome: string }).__evalOutcome = outcome;
    }, 0);
  });
  await expect.poll(() => worker.evaluate(() => (globalThis as unknown as { __evalOutcome?: string }).__evalOutcome)).toBe("EvalError");
});
