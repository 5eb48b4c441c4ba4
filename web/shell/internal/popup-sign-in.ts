import type { AuthenticationResult, IPublicClientApplication, PopupRequest } from "@azure/msal-browser";
import { AuthShellError } from "../../../shared/errors.js";
import type { Clock } from "../../../shared/ports.js";
import { capturingParent, closedByUser } from "./popup-watch.js";

/**
 * How long the shell waits for a sign-in window the user left open — chosen on purpose: long enough
 * for MFA, a password reset or fetching a phone, short enough that a forgotten window does not keep
 * `signIn()` pending (and MSAL's interaction lock held) for good. Then the shell closes the window and
 * answers `sign_in_timeout`. MSAL's own bridge wait is set longer (shell-msal-client.ts), so this one
 * decides, instead of MSAL's 60 s default surfacing as "timed_out".
 */
export const SIGN_IN_WINDOW_TIMEOUT_MS = 10 * 60_000;

export interface PopupSignInDeps {
  clock: Clock;
  /** POSTs sent by MSAL's network module so far: a token redemption means the sign-in went through. */
  postCount(): number;
  /** Called when MSAL's own promise for an abandoned sign-in finally settles (its 60 s bridge timeout). */
  onAbandonedSettled(error: unknown): void;
  /** The window that opens the popup (default: the page's `window`). */
  parentWindow?: Window;
}

/**
 * MSAL's popup sign-in, plus what MSAL 5 lacks: noticing that the user closed the window. MSAL waits
 * for the redirect bridge's message until `popupBridgeTimeout` and then reports a generic timeout; we
 * watch the window we opened and answer `user_cancelled` as soon as it is gone and no token request
 * followed, or `sign_in_timeout` when it stayed open for SIGN_IN_WINDOW_TIMEOUT_MS. The abandoned MSAL
 * call keeps its interaction lock, so the next sign-in overrides it (`overrideInteractionInProgress`,
 * which also cancels MSAL's pending bridge wait).
 */
export class PopupSignIn {
  private abandoned = false;

  constructor(private readonly deps: PopupSignInDeps) {}

  async run(pca: IPublicClientApplication, request: PopupRequest): Promise<AuthenticationResult> {
    const settled = new AbortController();
    const postsAtStart = this.deps.postCount();
    let cancel: (error: AuthShellError) => void = () => undefined;
    const cancelled = new Promise<never>((_, reject) => (cancel = reject));
    const opener = this.deps.parentWindow ?? (typeof window === "undefined" ? undefined : window);
    const parent =
      opener === undefined
        ? undefined
        : capturingParent(opener, (popup) => {
            if (!popup) return;
            void closedByUser(popup, this.deps.clock, () => this.deps.postCount() !== postsAtStart, settled.signal).then((closed) => {
              if (closed) cancel(new AuthShellError("user_cancelled", "The sign-in window was closed before sign-in finished"));
            });
            this.deps.clock.sleep(SIGN_IN_WINDOW_TIMEOUT_MS, settled.signal).then(
              () => {
                if (this.deps.postCount() !== postsAtStart) return; // finishing: the code is being redeemed
                popup.close();
                cancel(new AuthShellError("sign_in_timeout", `The sign-in window was open for ${SIGN_IN_WINDOW_TIMEOUT_MS / 60_000} minutes without finishing; it was closed`));
              },
              () => undefined, // the sign-in settled first
            );
          });
    const override = this.abandoned;
    const msal = pca.acquireTokenPopup({
      ...request,
      ...(parent ? { popupWindowParent: parent } : {}),
      ...(override ? { overrideInteractionInProgress: true } : {}),
    });
    try {
      const result = await Promise.race([msal, cancelled]);
      this.abandoned = false;
      return result;
    } catch (error) {
      if (error instanceof AuthShellError && (error.code === "user_cancelled" || error.code === "sign_in_timeout")) {
        this.abandoned = true;
        msal.then(
          () => this.deps.onAbandonedSettled(undefined),
          (late: unknown) => this.deps.onAbandonedSettled(late),
        );
      }
      throw error;
    } finally {
      settled.abort();
    }
  }
}
