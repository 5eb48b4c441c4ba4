/**
 * The worker's end of the UI ↔ worker channel (shared/protocol/ui-channel.ts): one handler per
 * message kind, typed by UiHandlers so the compiler checks each answer. Extension pages only;
 * nothing here ever returns a token value.
 */
import type { ExtensionBroker, PageServer } from "../broker/index.js";
import type { UiHandlers } from "../protocol/ui-channel.js";
import { accountView } from "../protocol/views.js";
import { isOwnExtensionPage } from "../broker/index.js";
import { browser, currentEngine } from "../platform/browser-api.js";
import { checkConfig, loadConfig, saveConfig } from "./config.js";
import { saveWithChange } from "./config-change.js";
import { t } from "../i18n/translate.js";
import { checkRegistration } from "./registration-check.js";
import { clockedEmitter } from "../../shared/events.js";
import type { Clock } from "../../shared/ports.js";
import type { EventLog } from "./event-log.js";
import { addGrant, listGrants, moveGrantsToClient, removeGrant } from "./grants.js";
import type { ActivityBound } from "../activity/activity-record.js";

/** Popup and options page only: never a content script, another extension or a web page. */
export function isExtensionPage(sender: chrome.runtime.MessageSender): boolean {
  return isOwnExtensionPage(sender, browser.runtime.id, browser.runtime.getURL(""));
}

export function uiHandlers(broker: ExtensionBroker, log: EventLog, clock: Clock, pages: PageServer, activityBound: ActivityBound): UiHandlers {
  const note = clockedEmitter(clock, log);
  return {
    getStatus: () => broker.status(),
    signIn: async ({ loginHint, addAccount, again }) =>
      accountView(
        await broker.signIn({ ...(loginHint ? { loginHint } : {}), ...(addAccount ? { selectAccount: true } : {}), ...(again ? { reauthenticate: true } : {}) }),
        true,
      ),
    signOut: ({ homeAccountId }) => broker.signOut(homeAccountId ? { homeAccountId } : undefined),
    switchAccount: async ({ homeAccountId }) => {
      await broker.setActiveAccount({ homeAccountId });
      return (await broker.status()).accounts;
    },
    listGrants: () => listGrants(),
    addGrant: async ({ grant }) => {
      const { clientId } = await loadConfig();
      const grants = await addGrant(grant, clientId, clock.now());
      note("grants.added", `Allowed ${grant.origin}`);
      return grants;
    },
    removeGrant: async ({ origin }) => {
      const grants = await removeGrant(origin);
      pages.forgetSite(origin);
      note("grants.removed", `Removed ${origin}`);
      return grants;
    },
    getConfig: () => loadConfig(),
    setConfig: async ({ config }) => {
      // Validated before anything changes; a new authority or client ID signs the accounts out and moves the grants.
      const saved = await saveWithChange(config, {
        current: () => loadConfig(),
        check: checkConfig,
        save: saveConfig,
        accounts: () => broker.getAccounts(),
        signOut: (account) => broker.signOut(account),
        moveGrants: moveGrantsToClient,
        reload: () => broker.reload(),
      });
      note("config.saved", `Configuration saved (${saved.authority}); ${saved.signedOut} account(s) signed out, ${saved.grantsUpdated} grant(s) moved to the new client ID`);
      return saved;
    },
    checkRegistration: async () =>
      checkRegistration(await loadConfig(), {
        launch: (details) => browser.identity.launchWebAuthFlow(details),
        engine: currentEngine(),
        fetch: (url, init) => fetch(url, init),
        say: t,
      }),
    getEvents: ({ limit }) => log.recent(limit),
    getSiteFlags: async () => pages.overBudget(),
    getScopeQuestions: async () => pages.scopeQuestions(),
    answerScopeQuestion: async ({ id, answer }) => ({ answered: pages.answerScopeQuestion(id, answer) }),
    getActivity: async ({ query }) => ({ entries: await broker.activity(query), bound: activityBound }),
    getLastUse: () => broker.lastUse(),
  };
}
