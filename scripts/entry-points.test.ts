import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { PACKAGES, allEntries } from "./entry-points.mjs";

const root = resolve(import.meta.dirname, "..");
const readJson = (file: string) => JSON.parse(readFileSync(join(root, file), "utf8"));

describe("the public surface is declared once and agrees everywhere", () => {
  for (const [packageName, spec] of Object.entries(PACKAGES)) {
    const pkg = readJson(join(spec.dir, "package.json"));

    it(`${packageName}: package.json exports exactly its entry points (plus package.json), types first`, () => {
      expect(pkg.name).toBe(packageName);
      expect(Object.keys(pkg.exports).sort()).toEqual([...Object.keys(spec.entries).map((n) => `./${n}`), "./package.json"].sort());
      for (const [name, entry] of Object.entries(spec.entries)) {
        const target = pkg.exports[`./${name}`];
        expect(Object.keys(target)[0], `${name}: "types" must come first`).toBe("types");
        expect(target.types).toBe(`./dist/types/${entry.source.replace(/\.ts$/, ".d.ts")}`);
        expect(target.default).toBe(`./dist/lib/${name}.js`);
      }
    });

    it(`${packageName}: the declaration build lists the same entries`, () => {
      const files: string[] = readJson(join(spec.dir, "tsconfig.lib.json")).files;
      expect(files.map((f) => join(spec.dir, f)).sort()).toEqual(Object.values(spec.entries).map((e) => join(e.source)).sort());
    });

    it(`${packageName}: ships its bins`, () => {
      // Without "./": npm publish normalises a bin path to this form and warns that it "auto-corrected" it.
      expect(pkg.bin ?? {}).toEqual(Object.fromEntries(Object.keys(spec.bin ?? {}).map((name) => [name, `dist/lib/${name}.js`])));
    });
  }

  it("every entry's source is an index.ts that exists", () => {
    for (const entry of allEntries()) {
      expect(entry.source.endsWith("/index.ts")).toBe(true);
      expect(existsSync(join(root, entry.source)), entry.source).toBe(true);
    }
  });

  it("tsconfig paths list every entry", () => {
    const paths = readJson("tsconfig.json").compilerOptions.paths;
    expect(paths).toEqual(Object.fromEntries(allEntries().map((e) => [e.specifier, [`./${e.source}`]])));
  });

  it("both packages are npm workspaces (the root too, so changesets versions it), and neither packs sources", () => {
    expect(readJson("package.json").workspaces).toEqual([".", "e2e/kit"]);
    expect(readJson("package.json").files).toEqual(["dist/lib", "dist/types", "dist/extension", "README.md", "LICENSE", "CHANGELOG.md"]);
    expect(readJson("e2e/kit/package.json").files).toEqual(["dist/lib", "dist/types", "README.md", "LICENSE", "CHANGELOG.md"]);
  });
});
