// MSAL's popup lands here: hand the authorization response back to the window that opened it.
import { broadcastResponseToMainFrame } from "@azure/msal-browser/redirect-bridge";

broadcastResponseToMainFrame().catch((error: unknown) => {
  document.body.textContent = `Sign-in could not finish: ${error instanceof Error ? error.message : "unknown error"}. Close this window and try again.`;
});
