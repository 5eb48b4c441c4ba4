/**
 * `exposeToPages`: the service-worker end of the page ↔ relay ↔ worker channel. The relay content
 * script opens a chrome.runtime Port named NAA_PORT_NAME; each relay message is validated, authorised
 * from the Port's browser-filled sender against the grants (naa-handler), and answered on the Port.
 */
import { AuthShellError } from "../../shared/errors.js";
import { clockedEmitter } from "../../shared/events.js";
import { NAA_PORT_NAME, parseRelayMessage, type RelayGrantAnswer, type RelayResponse } from "../../shared/protocol/naa-channel.js";
import { DEFAULT_BUDGET_LIMITS, OriginBudgets } from "../../shared/resilience/origin-budget.js";
import type { ExposeToPagesOptions, PageServer } from "./extension-broker-types.js";
import { handleNaaRequest, isSenderGranted, type NaaHandlerDeps, type ScopeDecisionDeps } from "./naa-handler.js";
import { SCOPE_DECISION_TIMEOUT_MS, ScopeDecisions } from "./scope-decisions.js";
import { browser } from "../platform/browser-api.js";

/** Chromium stops a worker idle for 30 s: an extension API call every 20 s keeps it while a question is open. */
const KEEP_ALIVE_MS = 20_000;

function scopeDecisionDeps(options: ExposeToPagesOptions, decisions: ScopeDecisions): ScopeDecisionDeps | undefined {
  const given = options.scopeDecisions;
  if (!given) return undefined;
  const timeout = given.timeoutMs ?? SCOPE_DECISION_TIMEOUT_MS;
  let keepAlive: ReturnType<typeof setInterval> | undefined;
  decisions.onChange(() => {
    const open = decisions.pending().length > 0;
    if (open && keepAlive === undefined) keepAlive = setInterval(() => void browser.runtime.getPlatformInfo(), KEEP_ALIVE_MS);
    if (!open && keepAlive !== undefined) {
      clearInterval(keepAlive);
      keepAlive = undefined;
    }
  });
  return { decisions, timeoutMs: typeof timeout === "function" ? timeout : async () => timeout, extendGrant: (q) => given.extendGrant(q) };
}

export function servePages(options: ExposeToPagesOptions, deps: Pick<NaaHandlerDeps, "broker" | "onToken" | "events" | "clock" | "served">): PageServer {
  const grants = options.grants;
  const clock = deps.clock;
  const given = options.budgets;
  const budgets = new OriginBudgets(clock, typeof given === "function" ? () => ({ ...DEFAULT_BUDGET_LIMITS, ...given() }) : { ...DEFAULT_BUDGET_LIMITS, ...given });
  const decisions = new ScopeDecisions(clock);
  const scopeDecisions = scopeDecisionDeps(options, decisions);
  const naaDeps: NaaHandlerDeps = {
    extensionId: browser.runtime.id,
    grants: typeof grants === "function" ? async () => [...(await grants())] : async () => [...grants],
    budgets,
    ...(scopeDecisions ? { scopeDecisions } : {}),
    ...deps,
  };
  const emit = clockedEmitter(deps.clock, deps.events);
  browser.runtime.onConnect.addListener((port) => {
    if (port.name !== NAA_PORT_NAME) return; // Another Port of the author's own: not ours to close.
    if (!port.sender) {
      port.disconnect();
      return;
    }
    const sender = port.sender;
    let open = true;
    port.onDisconnect.addListener(() => (open = false));
    port.onMessage.addListener((message: unknown) => {
      const relay = parseRelayMessage(message);
      if (relay instanceof AuthShellError) {
        emit("naa.dropped", `Dropped a malformed relay message: ${relay.message}`);
        return;
      }
      if (relay.kind === "naa-hello") {
        void isSenderGranted(sender, naaDeps).then((granted) => {
          const out: RelayGrantAnswer = { kind: "naa-granted", granted };
          if (open) port.postMessage(out);
        });
        return;
      }
      void handleNaaRequest(relay.request, sender, naaDeps, { userActivated: relay.userActivated === true })
        .then((answer) => {
          if (!answer || !open) return;
          const out: RelayResponse = { kind: "naa-response", requestId: answer.requestId, response: answer.response };
          port.postMessage(out);
        })
        .catch((error: unknown) =>
          emit("naa.error", `A page request failed unanswered: ${AuthShellError.from(error).code}`),
        );
    });
  });
  return {
    overBudget: () => budgets.flagged(),
    forgetSite: (origin) => budgets.forget(origin),
    scopeQuestions: () => decisions.pending(),
    answerScopeQuestion: (id, answer) => decisions.answer(id, answer),
    onScopeQuestionsChange: (listener) => decisions.onChange(listener),
  };
}
