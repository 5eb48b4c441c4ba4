import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readLocales } from "./locales.mjs";

function localesWith(files: Record<string, Record<string, unknown>>): string {
  const dir = mkdtempSync(join(tmpdir(), "locales-"));
  for (const [path, entries] of Object.entries(files)) {
    const [lang, file] = path.split("/") as [string, string];
    mkdirSync(join(dir, lang), { recursive: true });
    writeFileSync(join(dir, lang, file), JSON.stringify(entries));
  }
  return dir;
}

describe("readLocales refuses what would ship as a broken string", () => {
  it("merges one locale's area files", () => {
    const dir = localesWith({ "en/a.json": { a: "A" }, "en/b.json": { b: "B $1" }, "de/a.json": { a: "Ä", b: "Be $1" } });
    expect(readLocales(dir)).toEqual({ de: { a: "Ä", b: "Be $1" }, en: { a: "A", b: "B $1" } });
  });

  it.each([
    [{ "en/a.json": { a: "A" }, "en/b.json": { a: "again" } }, /already defined/],
    [{ "en/a.json": { a: "A", b: "B" }, "de/a.json": { a: "Ä" } }, /"b" has no translation/],
    [{ "en/a.json": { a: "A $1" }, "de/a.json": { a: "Ä" } }, /same \$1…\$9 substitutions/],
    [{ "en/a.json": { a: "A" }, "de/a.json": { a: "Ä", z: "Z" } }, /"z" does not exist in en/],
    [{ "en/a.json": { "bad-key": "A" } }, /not a valid message name/],
    [{ "en/a.json": { a: "" } }, /non-empty string/],
    [{ "de/a.json": { a: "Ä" } }, /default locale/],
  ])("%#: %o", (files, message) => {
    expect(() => readLocales(localesWith(files))).toThrow(message);
  });
});
