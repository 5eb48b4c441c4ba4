import type { AuthenticationResult, IPublicClientApplication, PopupRequest } from "@azure/msal-browser";
import { AuthShellError } from "../../../shared/errors.js";
import type { Clock } from "../../../shared/ports.js";
import { capturingParent, closedByUser } from "./popup-watch.js";

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
 * for the redirect bridge's message until `popupBridgeTimeout` (60 s) and then reports a generic
 * timeout; we watch the window we opened and answer `user_cancelled` as soon as it is gone and no
 * token request followed. The abandoned MSAL call keeps its interaction lock, so the next sign-in
 * overrides it (`overrideInteractionInProgress`, which also cancels MSAL's pending bridge wait).
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
      if (error instanceof AuthShellError && error.code === "user_cancelled") {
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
