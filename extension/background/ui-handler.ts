/**
 * Messages from the popup and options page (extension pages only): status, sign-in/out, grants,
 * configuration, events. Every message gets a BrokerResponse; nothing here ever returns a token value.
 */
import type { TokenBroker } from "../../shared/chain/broker-types.js";
import { AuthShellError } from "../../shared/errors.js";
import { errorResponse, okResponse, parseUiMessage, type BrokerResponse } from "../../shared/protocol/broker-messages.js";
import type { BrokerHost } from "./broker-host.js";
import { saveConfig, loadConfig } from "./config.js";
import { isOwnExtensionPage } from "./grant-rules.js";
import { addGrant, listGrants, removeGrant } from "./grants.js";
import { REFRESH_ALARM, onTokenActivity, scheduleRefresh } from "./refresh-alarm.js";
import type { AccountView, StatusView } from "./ui-protocol.js";

/** Popup and options page only: never a content script, another extension or a web page. */
export function isExtensionPage(sender: chrome.runtime.MessageSender): boolean {
  return isOwnExtensionPage(sender, chrome.runtime.id, chrome.runtime.getURL(""));
}

async function statusView(broker: TokenBroker): Promise<StatusView> {
  const [status, alarm] = await Promise.all([broker.status(), chrome.alarms.get(REFRESH_ALARM)]);
  const view: StatusView = {
    now: Date.now(),
    accounts: status.accounts.map(accountView),
    cache: status.cache.map((c) => ({
      clientId: c.clientId,
      scopes: [...c.scopes],
      expiresOn: c.expiresOn,
      refreshOn: c.refreshOn,
      hasRefreshToken: c.hasRefreshToken,
      claimsBound: c.claimsBound,
    })),
    gates: status.gates.map((g) => ({ key: g.key, closedUntil: g.closedUntil, remainingMs: g.remainingMs })),
    breakers: status.breakers.map((b) => ({
      key: b.key,
      phase: b.phase,
      consecutiveFailures: b.consecutiveFailures,
      ...(b.openUntil !== undefined ? { openUntil: b.openUntil } : {}),
    })),
  };
  if (status.cooldownUntil !== undefined) view.cooldownUntil = status.cooldownUntil;
  if (alarm) view.nextAlarmAt = alarm.scheduledTime;
  return view;
}

function accountView(a: { homeAccountId: string; username: string; name?: string; tenantId: string; environment: string }): AccountView {
  return { homeAccountId: a.homeAccountId, username: a.username, tenantId: a.tenantId, environment: a.environment, ...(a.name ? { name: a.name } : {}) };
}

/** Ends the IdP session in the same browser surface that signed in (best effort, bounded). */
async function endIdpSession(logoutUrl: string): Promise<void> {
  try {
    await chrome.identity.launchWebAuthFlow({ url: logoutUrl, interactive: false, abortOnLoadForNonInteractive: true, timeoutMsForNonInteractive: 5000 });
  } catch {
    // The logout page may not redirect back (no post-logout redirect): the session cookie is gone anyway.
  }
}

export async function handleUiMessage(message: unknown, host: BrokerHost): Promise<BrokerResponse> {
  const parsed = parseUiMessage(message);
  if (parsed instanceof AuthShellError) return errorResponse(parsed);
  try {
    switch (parsed.kind) {
      case "getStatus":
        return okResponse(await statusView((await host.get()).broker));
      case "signIn": {
        const { broker, config } = await host.get();
        const result = await broker.acquireToken({
          scopes: config.defaultScopes,
          allowInteraction: true,
          ...(parsed.loginHint ? { loginHint: parsed.loginHint } : {}),
        });
        await onTokenActivity(broker);
        return okResponse(accountView(result.account));
      }
      case "signOut": {
        const { broker } = await host.get();
        const { logoutUrl } = await broker.signOut(parsed.homeAccountId);
        host.sink.emit({ at: Date.now(), type: "account.signed_out", message: "Signed out; cached tokens cleared" });
        await scheduleRefresh(broker);
        await endIdpSession(logoutUrl);
        return okResponse({ logoutUrl });
      }
      case "listGrants":
        return okResponse(await listGrants());
      case "addGrant": {
        const { clientId } = await loadConfig();
        const grants = await addGrant(parsed.grant, clientId);
        host.sink.emit({ at: Date.now(), type: "grant.added", message: `Allowed ${parsed.grant.origin}` });
        return okResponse(grants);
      }
      case "removeGrant": {
        const grants = await removeGrant(parsed.origin);
        host.sink.emit({ at: Date.now(), type: "grant.removed", message: `Removed ${parsed.origin}` });
        return okResponse(grants);
      }
      case "getConfig":
        return okResponse(await loadConfig());
      case "setConfig": {
        const saved = await saveConfig(parsed.config);
        host.reset();
        host.sink.emit({ at: Date.now(), type: "config.saved", message: `Configuration saved (${saved.authority})` });
        return okResponse(saved);
      }
      case "getEvents":
        return okResponse(await host.events.recent(parsed.limit));
    }
  } catch (error) {
    return errorResponse(error);
  }
}
