import { AuthShellError, type AuthShell } from "resilient-token-broker/shell";

/** What a test or the demo learns about one silent acquisition — never the token itself. */
export interface AcquireOutcome {
  ok: boolean;
  fromCache?: boolean;
  source?: string;
  expiresOn?: number;
  code?: string;
  retryAfterMs?: number;
  ms: number;
}

export interface ShellTestHooks {
  source: string;
  acquire(options?: { scopes?: string[]; forceRefresh?: boolean; claims?: string }): Promise<AcquireOutcome>;
}

declare global {
  interface Window {
    __authShell?: ShellTestHooks;
  }
}

/**
 * Only in the `vite build --mode test` build (dist/web-test; main.tsx imports this module behind
 * `import.meta.env.MODE === "test"`, which the production build folds away): exposes
 * `window.__authShell` so the e2e tests, the demo and the bench can drive silent acquisitions and
 * read outcomes through the public API. It never exposes token values.
 */
export function installTestHooks(shell: AuthShell, scopes: string[]): void {
  window.__authShell = {
    // A getter: the shell switches to "extension" when the bridge arrives after load.
    get source() {
      return shell.mode;
    },
    async acquire(options = {}) {
      const started = performance.now();
      try {
        const result = await shell.getToken({
          scopes: options.scopes ?? scopes,
          ...(options.claims ? { claims: options.claims } : {}),
          ...(options.forceRefresh ? { forceRefresh: true } : {}),
        });
        return {
          ok: true,
          fromCache: result.fromCache,
          source: result.source,
          ...(result.expiresOn ? { expiresOn: result.expiresOn.getTime() } : {}),
          ms: performance.now() - started,
        };
      } catch (error) {
        const failure = AuthShellError.from(error);
        return {
          ok: false,
          code: failure.code,
          ...(failure.retryAfterMs !== undefined ? { retryAfterMs: failure.retryAfterMs } : {}),
          ms: performance.now() - started,
        };
      }
    },
  };
}
