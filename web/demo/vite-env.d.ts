/// <reference types="vite/client" />

/** The demo's defaults (the emulator's authority, client ID and scope), defined by vite.config.ts `demoDefines`. */
declare const __DEMO_DEFAULTS__: { authority: string; clientId: string; scope: string };
