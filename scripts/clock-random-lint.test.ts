import { resolve } from "node:path";
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

const root = resolve(import.meta.dirname, "..");
const eslint = new ESLint({ cwd: root });

/** The clock/random rule messages ESLint reports for `code` as if it were the file `path`. */
async function reported(code: string, path: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: resolve(root, path) });
  return (result?.messages ?? []).filter((m) => m.ruleId === "no-restricted-properties" || m.ruleId === "no-restricted-syntax").map((m) => m.message);
}

describe("one clock and one random source", () => {
  it.each([
    ["extension/broker/probe.ts", "export const t = Date.now();"],
    ["extension/ui/probe.tsx", "export const t = new Date();"],
    ["web/shell/internal/probe.ts", "export const r = Math.random();"],
    ["shared/chain/probe.ts", "export const b = crypto.getRandomValues(new Uint8Array(4));"],
    ["extension/background/probe.ts", "export const id = crypto.randomUUID();"],
  ])("product code may not read the platform's own time or randomness: %s", async (path, code) => {
    expect(await reported(code, path)).toHaveLength(1);
  });

  it("leaves the two adapters, tests, and dates built from a given time alone", async () => {
    expect(await reported("export const t = () => Date.now();", "shared/platform/system-clock.ts")).toEqual([]);
    expect(await reported("export const b = crypto.getRandomValues(new Uint8Array(4));", "shared/platform/web-crypto.ts")).toEqual([]);
    expect(await reported("export const t = Date.now();", "extension/broker/probe.test.ts")).toEqual([]);
    expect(await reported("export const d = (at: number) => new Date(at);", "extension/i18n/probe.ts")).toEqual([]);
  });
});
