import { defineConfig } from "vitest/config";
import { entryAliases } from "./scripts/entry-points.mjs";
import { demoDefines } from "./vite.config.js";

export default defineConfig({
  resolve: { alias: entryAliases() },
  define: demoDefines,
  test: {
    include: ["scripts/**/*.test.ts", "shared/**/*.test.ts", "extension/**/*.test.ts", "web/**/*.test.ts", "e2e/kit/**/*.test.ts", "e2e/support/**/*.test.ts", "e2e/bench/**/*.test.ts"],
    environment: "node",
    testTimeout: 20_000,
    coverage: {
      provider: "v8",
      include: ["shared/**/*.ts"],
      exclude: ["shared/**/*.test.ts", "shared/**/*.d.ts"],
      reporter: ["text-summary", "json-summary"],
    },
  },
});
