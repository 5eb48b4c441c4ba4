import { AuthShellError } from "../../shared/errors";
import type { ShellAuth } from "./auth/shell-auth";

/** What a test or the demo learns about one silent acquisition — never the token itself. */
export interface AcquireOutcome {
  ok: boolean;
  fromCache?: boolean;
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
 * With `?test=1` the page exposes `window.__authShell` so the e2e tests, the demo and the bench can
 * drive silent acquisitions and read outcomes. It never exposes token values.
 */
export function installTestHooks(shell: ShellAuth, enabled: boolean): void {
  if (!enabled) return;
  window.__authShell = {
    source: shell.source,
    async acquire(options = {}) {
      const started = performance.now();
      try {
        const result = await shell.acquireSilent(options.scopes ?? shell.config.scopes, options.claims, undefined, options.forceRefresh === true);
        return { ok: true, fromCache: result.fromCache, ...(result.expiresOn ? { expiresOn: result.expiresOn.getTime() } : {}), ms: performance.now() - started };
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
