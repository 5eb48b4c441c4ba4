import js from "@eslint/js";
import tseslint from "typescript-eslint";
import globals from "globals";

const browserOnlyGlobals = [
  "window", "document", "chrome", "browser", "localStorage", "sessionStorage", "indexedDB",
  "fetch", "setTimeout", "setInterval", "clearTimeout", "clearInterval", "navigator", "self",
].map((name) => ({ name, message: "shared/ is runtime-neutral: reach the platform through a port (shared/ports.ts)." }));

// Relative imports name the emitted file (`./x.js`), as Node's ESM resolution and TypeScript's `nodenext`
// need: the published declarations keep these specifiers, and a consumer type-checking under `nodenext`
// rejects an extensionless one (TS2834). esquery regexes cannot contain "/", hence `^\.` for "relative".
const relativeWithoutExtension = "/^\\.(?!.*\\.(js|mjs|cjs|json|css|html|svg)$)/";
const importsNameTheirFile = ["ImportDeclaration", "ExportNamedDeclaration", "ExportAllDeclaration", "ImportExpression"].map((node) => ({
  selector: `${node}[source.value=${relativeWithoutExtension}]`,
  message: "Name the file of a relative import with its .js extension (`./x.js` for x.ts): the published types need it under moduleResolution nodenext.",
}));

// One clock and one random source (issue 21): product code reads time through the Clock port and
// randomness through the Random port, so tests drive both with FakeClock / FakeRandom. Only the two
// adapters touch the platform's own.
const clockMessage = "Read time through the Clock port (createSystemClock, shared/platform/system-clock.ts); tests use FakeClock.";
const randomMessage = "Use the Random port (webRandom, shared/platform/web-crypto.ts); tests use FakeRandom.";
const platformTimeAndRandom = [
  { object: "Date", property: "now", message: clockMessage },
  { object: "Math", property: "random", message: randomMessage },
  { object: "crypto", property: "getRandomValues", message: randomMessage },
  { object: "crypto", property: "randomUUID", message: `${randomMessage} A UUID: randomUuid(random), shared/oidc/pkce.ts.` },
];

const productNeverImportsTests = {
  group: ["**/e2e/**", "resilient-token-broker-testkit/emulator", "resilient-token-broker-testkit/playwright"],
  message: "Product code (shared/, extension/, web/) never imports the tests' tree (e2e/).",
};
const webNeverImportsExtension = {
  group: ["**/extension/**", "resilient-token-broker/extension-broker"],
  message: "web/ never imports extension/: talk to the extension over the NAA bridge.",
};
const sharedStaysBelow = {
  group: ["**/extension/**", "**/web/**", "resilient-token-broker/*"],
  message: "shared/ is the bottom layer: it imports neither extension/ nor web/.",
};
const backgroundUsesBrokerEntry = {
  group: ["**/broker/*", "!**/broker/index.js", "**/storage/**", "**/shared/chain/**", "**/ui/**"],
  message: "The worker uses the broker through its public entry point (extension/broker/index.ts), like any other extension.",
};
const uiTalksOverItsChannel = {
  group: ["**/background/**", "**/broker/**", "**/storage/**", "**/shared/chain/**", "**/content/**"],
  message: "The popup and options page reach the worker only over the UI channel (broker-client.ts, shared/protocol/ui-channel.ts).",
};

export default tseslint.config(
  { ignores: ["**/dist/**", "node_modules/**", "report/**", "bench/results.json", "test-results/**", "coverage/**", "playwright-report/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node, ...globals.serviceworker, chrome: "readonly" } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
      "no-console": ["error", { allow: ["warn", "error", "info"] }],
      "no-restricted-syntax": ["error", ...importsNameTheirFile],
    },
  },
  {
    files: ["shared/**/*.ts"],
    ignores: ["shared/**/*.test.ts"],
    rules: { "no-restricted-globals": ["error", ...browserOnlyGlobals], "no-console": "error" },
  },
  {
    files: ["shared/**/*.ts", "extension/**/*.{ts,tsx}", "web/**/*.{ts,tsx}"],
    ignores: ["**/*.test.ts", "**/*.test.tsx", "**/*.test-support.ts", "shared/platform/system-clock.ts", "shared/platform/web-crypto.ts"],
    rules: {
      "no-restricted-properties": ["error", ...platformTimeAndRandom],
      // Keeps the import rule above: a later block's no-restricted-syntax replaces it, it does not add to it.
      "no-restricted-syntax": ["error", ...importsNameTheirFile, { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: clockMessage }],
    },
  },
  // Layers (issue 11). Product code never reaches into the tests' tree; web/ never into the extension;
  // the extension's worker and pages reach the broker through its public entry point. Kept apart
  // from any web/demo block: each block below names only extension/shared files or one restriction.
  {
    files: ["shared/**/*.ts", "extension/**/*.{ts,tsx}", "web/**/*.{ts,tsx}"],
    ignores: ["**/*.test.ts", "**/*.test.tsx", "**/*.test-support.ts"],
    rules: { "no-restricted-imports": ["error", { patterns: [productNeverImportsTests] }] },
  },
  {
    files: ["web/**/*.{ts,tsx}"],
    ignores: ["**/*.test.ts", "**/*.test.tsx"],
    rules: { "no-restricted-imports": ["error", { patterns: [productNeverImportsTests, webNeverImportsExtension] }] },
  },
  {
    files: ["shared/**/*.ts"],
    ignores: ["**/*.test.ts", "**/*.test-support.ts"],
    rules: { "no-restricted-imports": ["error", { patterns: [productNeverImportsTests, sharedStaysBelow] }] },
  },
  {
    files: ["extension/background/**/*.ts"],
    ignores: ["**/*.test.ts"],
    rules: { "no-restricted-imports": ["error", { patterns: [productNeverImportsTests, backgroundUsesBrokerEntry] }] },
  },
  {
    files: ["extension/ui/**/*.{ts,tsx}"],
    rules: { "no-restricted-imports": ["error", { patterns: [productNeverImportsTests, uiTalksOverItsChannel] }] },
  },
  {
    // The demo (web/demo) is the shell's first consumer: it may import only the public entry points, so
    // anything it needs that they lack is a gap in the library, not a deep import.
    files: ["web/demo/**/*.{ts,tsx}"],
    ignores: ["**/*.test.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          // A later block replaces an earlier block's options for the same rule: repeat web/'s layers.
          patterns: [
            productNeverImportsTests,
            webNeverImportsExtension,
            {
              // Relative imports into web/shell, web/react or shared/ (its defaults come in by a build-time define).
              regex: "^(\\.\\./)+(web/)?(shell|react)(/|$)|^(\\.\\./)+shared/|(^|/)web/(shell|react)/",
              message: "web/demo uses only the public API: import from \"resilient-token-broker/shell\" or \"resilient-token-broker/react\".",
            },
          ],
        },
      ],
    },
  },
  {
    // One cross-browser surface (docs/decisions/0005-cross-browser-api.md): extension code reaches the
    // browser through extension/platform/browser-api.ts, where the engines' differences are handled.
    files: ["extension/**/*.{ts,tsx}"],
    ignores: ["**/*.test.ts", "**/*.test.tsx", "extension/platform/browser-api.ts"],
    rules: {
      "no-restricted-globals": ["error", { name: "chrome", message: "Use `browser` from extension/platform/browser-api.ts (one cross-browser surface)." }],
    },
  },
  {
    files: ["e2e/**", "scripts/**"],
    rules: { "no-console": "off" },
  },
);
