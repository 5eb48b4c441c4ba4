import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";
import { resolve } from "node:path";
import { entryAliases } from "./scripts/entry-points.mjs";
import { EMULATOR_CLIENT_ID, EMULATOR_DEFAULT_URL, EMULATOR_TENANT_ID, GRAPH_SCOPE_USER_READ } from "./shared/config/defaults.js";

const webRoot = resolve(import.meta.dirname, "web");

/**
 * The demo's defaults, the emulator's fixed values, defined at build time: web/demo imports only the
 * public entry points (eslint.config.js), and these are not part of the shell's API.
 */
export const demoDefines = {
  __DEMO_DEFAULTS__: JSON.stringify({ authority: `${EMULATOR_DEFAULT_URL}/${EMULATOR_TENANT_ID}`, clientId: EMULATOR_CLIENT_ID, scope: GRAPH_SCOPE_USER_READ }),
};

/**
 * Builds the embedded SPA auth shell from web/ into dist/web/ (relative base, so it can be served
 * from any path). Two pages: the shell and MSAL's popup redirect target.
 */
export default defineConfig({
  root: webRoot,
  base: "./",
  resolve: { alias: entryAliases() },
  define: demoDefines,
  plugins: [
    react(),
    // Keeps web/ as the root even when a caller passes its own `root` (scripts/build.mjs passes the repo root).
    { name: "auth-shell-root", config: () => ({ root: webRoot }) },
  ],
  build: {
    outDir: resolve(import.meta.dirname, "dist/web"),
    emptyOutDir: true,
    sourcemap: true,
    rollupOptions: {
      input: {
        main: resolve(import.meta.dirname, "web/index.html"),
        redirect: resolve(import.meta.dirname, "web/redirect.html"),
      },
    },
  },
});
