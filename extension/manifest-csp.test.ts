import { readFileSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const root = resolve(import.meta.dirname, "..");

/** A Content-Security-Policy's directives, so the policy is checked source by source, not as a string. */
function parseCsp(policy: string): Map<string, string[]> {
  const directives = new Map<string, string[]>();
  for (const part of policy.split(";")) {
    const [name, ...sources] = part.trim().split(/\s+/);
    // The first occurrence of a directive wins, as in browsers.
    if (name && !directives.has(name.toLowerCase())) directives.set(name.toLowerCase(), sources);
  }
  return directives;
}

const manifest = JSON.parse(readFileSync(join(root, "manifest.json"), "utf8")) as { content_security_policy?: { extension_pages?: string } };

describe("the extension pages' Content-Security-Policy (manifest.json)", () => {
  const policy = manifest.content_security_policy?.extension_pages ?? "";
  const csp = parseCsp(policy);

  it("is declared", () => {
    expect(policy).not.toBe("");
  });

  it("runs only the extension's own script files: no inline script, no eval, no remote or wasm code", () => {
    expect(csp.get("script-src")).toEqual(["'self'"]);
    expect(policy).not.toMatch(/unsafe-inline|unsafe-eval|wasm-unsafe-eval|unsafe-hashes|strict-dynamic|nonce-|sha\d+-|https?:|\*/);
  });

  it("allows no plugins, no <base> rewriting, no form posts and no framing of the pages", () => {
    expect(csp.get("object-src")).toEqual(["'none'"]);
    expect(csp.get("base-uri")).toEqual(["'none'"]);
    expect(csp.get("form-action")).toEqual(["'none'"]);
    expect(csp.get("frame-ancestors")).toEqual(["'none'"]);
  });

  it("parses directives as a browser does: the first of a repeated directive wins", () => {
    expect(parseCsp("script-src 'self'; SCRIPT-SRC *; object-src 'none'").get("script-src")).toEqual(["'self'"]);
  });
});

describe("the extension pages' HTML", () => {
  const dir = join(root, "extension/ui");
  const pages = readdirSync(dir).filter((f) => f.endsWith(".html"));

  it.each(pages)("%s has no inline script and no inline event handler", (page) => {
    const html = readFileSync(join(dir, page), "utf8");
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, body] of scripts) {
      expect(attributes).toMatch(/\bsrc=/);
      expect(body!.trim()).toBe("");
    }
    expect(html).not.toMatch(/\son[a-z]+\s*=|javascript:/i);
  });
});
