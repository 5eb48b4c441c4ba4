import type { AuthenticationResult } from "@azure/msal-browser";
import type { AuthShellError } from "../../../shared/errors.js";
import type { Clock } from "../../../shared/ports.js";

/** Ahead of `expiresOn` when the IdP gave no `refresh_in` (MSAL's own margin is 5 min). */
const REFRESH_MARGIN_MS = 5 * 60_000;

/** When a token should be refreshed: at `refresh_in`, else 5 minutes before it expires. */
export function refreshTimeOf(result: AuthenticationResult): number {
  if (result.refreshOn) return result.refreshOn.getTime();
  return (result.expiresOn?.getTime() ?? 0) - REFRESH_MARGIN_MS;
}

/**
 * The one timer for the shell's next proactive refresh (standalone mode): an earlier due time
 * replaces a later one, never the other way round; a retryable failure tries again after the wait it
 * was given (at least 5 s), and the old token keeps serving meanwhile.
 */
export class RefreshTimer {
  private timer: AbortController | undefined;
  private next: number | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly refresh: (scopes: string[]) => Promise<unknown>,
    private readonly onFailure: (error: unknown) => AuthShellError,
  ) {}

  nextAt(): number | undefined {
    return this.next;
  }

  cancel(): void {
    this.timer?.abort();
    this.next = undefined;
  }

  /** For a token just obtained: at its refresh time, and never sooner than a second from now. */
  scheduleFor(result: AuthenticationResult, scopes: string[]): void {
    this.scheduleAt(Math.max(refreshTimeOf(result), this.clock.now() + 1_000), scopes);
  }

  scheduleAt(at: number, scopes: string[]): void {
    if (this.next !== undefined && this.next <= at && this.timer && !this.timer.signal.aborted) return;
    this.timer?.abort();
    const timer = new AbortController();
    this.timer = timer;
    this.next = at;
    this.clock.sleep(at - this.clock.now(), timer.signal).then(
      () => {
        if (this.timer === timer) this.next = undefined;
        this.refresh(scopes).catch((error: unknown) => {
          const failure = this.onFailure(error);
          if (failure.retryable) this.scheduleAt(this.clock.now() + Math.max(failure.retryAfterMs ?? 30_000, 5_000), scopes);
        });
      },
      () => undefined,
    );
  }
}
