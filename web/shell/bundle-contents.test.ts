import { describe, expect, it } from "vitest";
import { bundleEntries } from "../../e2e/support/unit/bundle-entry.js";

// Code only the extension runs must not reach an app's bundle of /shell and /react. A module-level
// `new Set(…)` of the extension's event names in shared/events.ts once did (a side effect bundlers
// keep), unnoticed inside the size budget's slack.
describe("the shell's bundle", () => {
  it("carries none of the extension's own event names", async () => {
    const code = await bundleEntries(["web/shell/index.ts", "web/react/index.ts"]);
    expect(code).toContain("shell.started");
    for (const extensionOnly of ["worker.start", "grants.adopt_failed", "badge.update_failed", "naa.scope_decision"]) {
      expect(code).not.toContain(extensionOnly);
    }
  });
});
