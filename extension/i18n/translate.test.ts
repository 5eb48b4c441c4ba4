import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { DEFAULT_LOCALE, chromeMessages, readLocales } from "../../scripts/locales.mjs";

const root = resolve(import.meta.dirname, "../..");
const locales = readLocales(join(root, "extension/locales"));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true })
    .map((f) => join(dir, String(f)))
    .filter((f) => /\.(ts|tsx)$/.test(f) && !f.endsWith(".test.ts") && statSync(f).isFile());
}

describe("extension strings", () => {
  it("every t(\"key\") in the extension's source exists in the default locale", () => {
    const missing: string[] = [];
    for (const file of sourceFiles(join(root, "extension"))) {
      for (const match of readFileSync(file, "utf8").matchAll(/\bt\(\s*"([A-Za-z0-9_]+)"/g)) {
        if (!(match[1]! in locales[DEFAULT_LOCALE]!)) missing.push(`${relative(root, file)}: ${match[1]}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it("ships a second locale, so the lookup is proven to switch languages", () => {
    expect(Object.keys(locales).length).toBeGreaterThanOrEqual(2);
  });

  it("turns $1 substitutions into Chrome placeholders", () => {
    expect(chromeMessages({ wait: "Wait $1 s for $2" })).toEqual({
      wait: { message: "Wait $P1$ s for $P2$", placeholders: { p1: { content: "$1" }, p2: { content: "$2" } } },
    });
  });
});
