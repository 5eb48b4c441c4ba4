// MSAL's popup lands here: the shell's redirect helper hands the response back to the opener.
import { completePopupSignIn } from "resilient-token-broker/shell";

void completePopupSignIn().catch(() => undefined /* the page already shows the sentence */);
