import js from "@eslint/js";
import tseslint from "typescript-eslint";
import globals from "globals";

const browserOnlyGlobals = [
  "window", "document", "chrome", "browser", "localStorage", "sessionStorage", "indexedDB",
  "fetch", "setTimeout", "setInterval", "clearTimeout", "clearInterval", "navigator", "self",
].map((name) => ({ name, message: "shared/ is runtime-neutral: reach the platform through a port (shared/ports.ts)." }));

export default tseslint.config(
  { ignores: ["dist/**", "node_modules/**", "report/**", "bench/results.json", "test-results/**", "coverage/**", "playwright-report/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node, ...globals.serviceworker, chrome: "readonly" } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
      "no-console": ["error", { allow: ["warn", "error", "info"] }],
    },
  },
  {
    files: ["shared/**/*.ts"],
    ignores: ["shared/**/*.test.ts", "shared/testing/**"],
    rules: { "no-restricted-globals": ["error", ...browserOnlyGlobals], "no-console": "error" },
  },
  {
    // The demo (web/src) is the shell's first consumer: it may import only the public entry points, so
    // anything it needs that they lack is a gap in the library, not a deep import.
    files: ["web/src/**/*.{ts,tsx}"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              // Relative imports into web/shell, web/react or shared/ (the emulator's fixed IDs excepted).
              regex: "^(\\.\\./)+(web/)?(shell|react)(/|$)|^(\\.\\./)+shared/(?!config/emulator-defaults$)|(^|/)web/(shell|react)/",
              message: "web/src uses only the public API: import from \"resilient-token-broker/shell\" or \"resilient-token-broker/react\".",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["e2e/**", "scripts/**"],
    rules: { "no-console": "off" },
  },
);
