/**
 * The extension's service worker, built on the public `extension-broker` entry point like any other
 * extension would be: the broker (with its own alarms listener) and the NAA page server are created
 * synchronously at the top level, so a worker woken by a Port, a message or an alarm handles the
 * event that woke it. What is ours alone: the stored configuration, the per-origin grants and their
 * content scripts, the popup's event log and the UI channel.
 */
import { AuthShellError, createExtensionBroker } from "../broker/index.js";
import { dispatchUi, errorReply } from "../protocol/ui-channel.js";
import { createBadge } from "./badge.js";
import { chromeConfig } from "./config.js";
import { adoptOpenTabs, chromeTabScripting } from "./adopt-open-tabs.js";
import { EventLog } from "./event-log.js";
import { clockedEmitter } from "../../shared/events.js";
import { createSystemClock } from "../../shared/platform/system-clock.js";
import { grantMatches, listGrants, syncContentScripts } from "./grants.js";
import { extendGrantScopes, scopeDecisionTimeoutMs } from "./scope-questions.js";
import { watchBudgetSetting } from "./budget-setting.js";
import { isExtensionPage, uiHandlers } from "./ui-handler.js";
import { browser } from "../platform/browser-api.js";
import { DEFAULT_ACTIVITY_BOUND } from "../activity/activity-record.js";

const clock = createSystemClock();
const log = new EventLog(browser.storage.session, clock);
const emit = clockedEmitter(clock, log);

const config = chromeConfig();

const broker = createExtensionBroker({
  // Waits for enterprise policy only briefly (it can take seconds at worker start): see config.ts.
  settings: async () => {
    const view = await config.load();
    return { authority: view.authority, clientId: view.clientId, scopes: view.defaultScopes, redirectUri: view.redirectUri };
  },
  clientSku: { name: "resilient-token-broker-extension", version: browser.runtime.getManifest().version },
  // The bench's "without recording" build (e2e/bench/activity-bench.ts) only: production keeps the record.
  activity: import.meta.env.MODE === "bench-no-activity" ? false : DEFAULT_ACTIVITY_BOUND,
});
// A policy read late that differs from what the broker was built with wins: rebuild on it.
config.onPolicyChanged(() => {
  broker.reload();
  emit("config.policy_applied", "Enterprise policy read; broker settings reloaded");
});
config.onError((message) => emit("config.policy_error", message));
let questionsOpen = false;
// The toolbar badge follows the popup's state; a failed update is an event (but never re-triggers one).
const badge = createBadge({
  status: () => broker.status(),
  action: browser.action,
  now: () => clock.now(),
  online: () => navigator.onLine,
  report: (message, code) => emit("badge.update_failed", message, { code }),
  asking: () => questionsOpen,
});
broker.subscribe((event) => {
  log.emit(event);
  void badge.update();
});
const pages = broker.exposeToPages({
  grants: listGrants,
  // The `originBudgets` setting (budget-setting.ts), kept in memory: an ask never reads storage.
  budgets: watchBudgetSetting(browser.storage.local, (message) => emit("config.budgets_unreadable", message)),
  scopeDecisions: { timeoutMs: scopeDecisionTimeoutMs, extendGrant: (question) => extendGrantScopes(question, clock.now()) },
});
// An open scope question shows on the toolbar badge until it is answered or times out.
pages.onScopeQuestionsChange(() => {
  questionsOpen = pages.scopeQuestions().length > 0;
  void badge.update();
});

const handlers = uiHandlers(broker, log, clock, pages, DEFAULT_ACTIVITY_BOUND);

browser.runtime.onMessage.addListener((message: unknown, sender, sendResponse) => {
  if (!isExtensionPage(sender)) {
    sendResponse(errorReply(new AuthShellError("not_granted", "Only the extension's own pages may send this")));
    return false;
  }
  void dispatchUi(handlers, message).then(sendResponse);
  return true; // Answered asynchronously.
});

/**
 * Dynamic content scripts vanish when Chrome reloads the extension (every start with
 * --load-extension, every update): re-register from grants, then give the bridge to the tabs that
 * loaded meanwhile — tabs restored at browser start-up do, and would otherwise run standalone.
 */
async function restore(reason: string): Promise<void> {
  const registered = await syncContentScripts().then(
    () => true,
    (error: unknown) => {
      emit("grants.sync_failed", `Could not register the bridge: ${AuthShellError.from(error).message}`);
      return false;
    },
  );
  if (registered) {
    await listGrants()
      .then((grants) => adoptOpenTabs(grants.map((g) => g.origin), grantMatches(grants), chromeTabScripting(), emit))
      .catch((error: unknown) =>
        emit("grants.adopt_failed", `Could not add the bridge to open tabs: ${AuthShellError.from(error).message}`),
      );
  }
  emit("worker.start", `Broker ready (${reason})`);
  await badge.update();
}

browser.runtime.onStartup.addListener(() => void restore("browser start"));
browser.runtime.onInstalled.addListener(() => void restore("installed"));
void restore("worker start");
