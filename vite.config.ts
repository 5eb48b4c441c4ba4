import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";
import { resolve } from "node:path";
import { entryAliases } from "./scripts/entry-points.mjs";

const webRoot = resolve(import.meta.dirname, "web");

/**
 * Builds the embedded SPA auth shell from web/ into dist/web/ (relative base, so it can be served
 * from any path). Two pages: the shell and MSAL's popup redirect target.
 */
export default defineConfig({
  root: webRoot,
  base: "./",
  resolve: { alias: entryAliases() },
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
