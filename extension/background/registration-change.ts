/**
 * When the options page changes the authority (tenant) or the client ID, the accounts signed in
 * under the old ones cannot be served any more: their tokens belong to another tenant or app
 * registration (the cache is keyed by both), so they would linger as "signed in" while every
 * request for them fails. They are signed out — with the broker still running the old settings, so
 * the IdP session ends at the authority it was opened at — and the event log says so.
 */
import type { ExtensionBroker } from "../broker/index.js";
import { AuthShellError } from "../../shared/errors.js";
import type { EventSink } from "../../shared/ports.js";
import type { ExtensionConfig } from "../../shared/protocol/views.js";
import { t } from "../i18n/translate.js";

/** Whether accounts signed in under `before` are unusable under `after`. */
export function registrationChanged(before: Pick<ExtensionConfig, "authority" | "clientId">, after: Pick<ExtensionConfig, "authority" | "clientId">): boolean {
  const norm = (s: string) => s.trim().replace(/\/+$/, "").toLowerCase();
  return norm(before.authority) !== norm(after.authority) || norm(before.clientId) !== norm(after.clientId);
}

/** Signs out every account; returns how many were signed out. Failures are events, never silent. */
export async function signOutForNewRegistration(broker: ExtensionBroker, events: EventSink): Promise<number> {
  let accounts;
  try {
    accounts = await broker.getAccounts();
  } catch (error) {
    // The old settings never worked: there is nothing signed in under them to keep or end.
    events.emit({ at: Date.now(), type: "config.accounts_unread", message: t("accounts_old_unread", AuthShellError.from(error).code) });
    return 0;
  }
  let count = 0;
  for (const account of accounts) {
    try {
      await broker.signOut({ homeAccountId: account.homeAccountId });
      count++;
    } catch (error) {
      events.emit({ at: Date.now(), type: "config.sign_out_failed", message: t("accounts_old_sign_out_failed", AuthShellError.from(error).code) });
    }
  }
  if (count > 0) {
    events.emit({
      at: Date.now(),
      type: "config.accounts_signed_out",
      message: t("accounts_registration_changed", count),
    });
  }
  return count;
}
