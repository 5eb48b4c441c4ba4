import { broadcastResponseToMainFrame } from "@azure/msal-browser/redirect-bridge";

/**
 * The whole script of the page at `redirectUri` (standalone mode): hands the sign-in response back to
 * the window that opened the popup (MSAL's redirect bridge), and on failure writes a sentence into
 * the page instead of leaving it blank. Call it as early as possible, before anything else runs.
 */
export async function completePopupSignIn(doc: Document | undefined = globalThis.document): Promise<void> {
  try {
    await broadcastResponseToMainFrame();
  } catch (error) {
    const reason = error instanceof Error ? error.message : "unknown error";
    if (doc?.body) doc.body.textContent = `Sign-in could not finish (${reason}). Close this window and try again.`;
    throw error;
  }
}
