import { resolve } from "node:path";
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

const root = resolve(import.meta.dirname, "../..");
const eslint = new ESLint({ cwd: root });

/** The no-restricted-imports messages ESLint reports for `code` as if it were the file `path`. */
async function restricted(code: string, path = "web/demo/probe.ts"): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: resolve(root, path) });
  return (result?.messages ?? []).filter((m) => m.ruleId === "no-restricted-imports").map((m) => m.message);
}

describe("web/demo imports only the public entry points", () => {
  it.each([
    'import { ShellAuth } from "../shell/internal/shell-auth.js";',
    'import { ShellAuth } from "../shell/internal/shell-auth.js";',
    'import { browserPlatform } from "../shell/platform/browser-platform.js";',
    'import { ShellContext } from "../react/internal/provider.js";',
    'import { createAuthShell } from "../shell/index.js";',
    'import { AuthShellError } from "../../shared/errors.js";',
    // The emulator's fixed IDs reach the demo through the build (vite.config.ts demoDefines), not an import.
    'import { EMULATOR_CLIENT_ID } from "../../shared/config/defaults.js";',
  ])("rejects a deep import: %s", async (code) => {
    expect(await restricted(code)).toHaveLength(1);
  });

  it("rejects a deep import from a nested folder of web/demo", async () => {
    expect(await restricted('import { readIdTokenClaims } from "../../../shared/oidc/id-token-claims.js";', "web/demo/components/probe.tsx")).toHaveLength(1);
  });

  it("allows the public entry points and the demo's own modules", async () => {
    const code = [
      'import { createAuthShell } from "resilient-token-broker/shell";',
      'import { useAccessToken } from "resilient-token-broker/react";',
      'import { App } from "./app.js";',
    ].join("\n");
    expect(await restricted(code)).toEqual([]);
  });

  it("leaves the library itself free to use its internals", async () => {
    expect(await restricted('import { AuthShellError } from "../../../shared/errors.js";', "web/shell/internal/probe.ts")).toEqual([]);
  });
});
