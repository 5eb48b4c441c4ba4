import { resolve } from "node:path";
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

const root = resolve(import.meta.dirname, "..");
const eslint = new ESLint({ cwd: root });

/** How many times ESLint asks `code`, linted as `path`, to name the file of a relative import. */
async function unnamed(code: string, path = "web/shell/internal/probe.ts"): Promise<number> {
  const [result] = await eslint.lintText(code, { filePath: resolve(root, path) });
  return (result?.messages ?? []).filter((m) => m.ruleId === "no-restricted-syntax" && m.message.startsWith("Name the file")).length;
}

describe("relative imports name their .js file (the published declarations need it under nodenext)", () => {
  it.each([
    'import { a } from "./a";',
    'import type { A } from "../../../shared/ports";',
    'export { b } from "./b";',
    'export * from "./c";',
    'export const d = () => import("./d");',
  ])("rejects %s", async (code) => {
    expect(await unnamed(code)).toBe(1);
  });

  it("accepts .js files, other assets and packages", async () => {
    const code = ['import { a } from "./a.js";', 'import "./styles.css";', 'import data from "./data.json";', 'import { b } from "resilient-token-broker/shell";', 'import { c } from "idb";'].join("\n");
    expect(await unnamed(code)).toBe(0);
  });
});
