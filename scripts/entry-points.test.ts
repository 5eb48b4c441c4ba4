import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { ENTRY_POINTS, PACKAGE_NAME } from "./entry-points.mjs";

const root = resolve(import.meta.dirname, "..");
const readJson = (file: string) => JSON.parse(readFileSync(join(root, file), "utf8"));

describe("the public surface is declared once and agrees everywhere", () => {
  const pkg = readJson("package.json");
  const names = Object.keys(ENTRY_POINTS);

  it("package.json exports exactly the entry points (plus package.json), types first", () => {
    expect(pkg.name).toBe(PACKAGE_NAME);
    expect(Object.keys(pkg.exports).sort()).toEqual([...names.map((n) => `./${n}`), "./package.json"].sort());
    for (const [name, entry] of Object.entries(ENTRY_POINTS)) {
      const target = pkg.exports[`./${name}`];
      expect(Object.keys(target)[0], `${name}: "types" must come first`).toBe("types");
      expect(target.types).toBe(`./dist/types/${entry.source.replace(/\.ts$/, ".d.ts")}`);
      expect(target.default).toBe(`./dist/lib/${name}.js`);
    }
  });

  it("every entry's source is an index.ts that exists", () => {
    for (const entry of Object.values(ENTRY_POINTS)) {
      expect(entry.source.endsWith("/index.ts")).toBe(true);
      expect(existsSync(join(root, entry.source)), entry.source).toBe(true);
    }
  });

  it("tsconfig paths and the declaration build list the same entries", () => {
    const paths = readJson("tsconfig.json").compilerOptions.paths;
    expect(paths).toEqual(Object.fromEntries(Object.entries(ENTRY_POINTS).map(([n, e]) => [`${PACKAGE_NAME}/${n}`, [`./${e.source}`]])));
    expect(readJson("tsconfig.lib.json").files.sort()).toEqual(Object.values(ENTRY_POINTS).map((e) => e.source).sort());
  });

  it("packs only build output and the README, and ships the emulator CLI as a bin", () => {
    expect(pkg.files).toEqual(["dist/lib", "dist/types", "dist/extension", "README.md"]);
    expect(pkg.bin).toEqual({ "entra-emulator": "./dist/lib/entra-emulator.js" });
  });
});
