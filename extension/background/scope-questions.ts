/**
 * Our extension's side of the scope decisions (issue 22; the library holds the questions): how long
 * an ask waits for the person, and what "Always allow" changes — the site's grant gains the scopes.
 *
 * The wait is a setting in storage.local, `scopeDecisionSeconds` (5–600, default 60): an
 * administrator's or a test's way to shorten or lengthen it without a rebuild. Anything else stored
 * there means the default.
 */
import type { ScopeQuestion } from "../broker/index.js";
import { browser } from "../platform/browser-api.js";
import { loadConfig } from "./config.js";
import { addGrant, listGrants } from "./grants.js";

const SCOPE_DECISION_SECONDS_KEY = "scopeDecisionSeconds";
const DEFAULT_SECONDS = 60;

export async function scopeDecisionTimeoutMs(): Promise<number> {
  const stored = (await browser.storage.local.get(SCOPE_DECISION_SECONDS_KEY))[SCOPE_DECISION_SECONDS_KEY];
  const seconds = typeof stored === "number" && Number.isInteger(stored) && stored >= 5 && stored <= 600 ? stored : DEFAULT_SECONDS;
  return seconds * 1000;
}

/** "Always allow": the grant's scopes (its own, or the default scopes it stood for) plus the new ones. */
export async function extendGrantScopes(question: ScopeQuestion, now: number): Promise<void> {
  const grant = (await listGrants()).find((g) => g.origin === question.origin);
  if (!grant) return; // Removed while the question was open: nothing to extend, and nothing granted.
  const { clientId, defaultScopes } = await loadConfig();
  const current = grant.scopes ?? defaultScopes;
  const known = new Set(current.map((s) => s.toLowerCase()));
  const scopes = [...current, ...question.scopes.filter((s) => !known.has(s.toLowerCase()))];
  await addGrant({ origin: grant.origin, clientIds: grant.clientIds, scopes }, clientId, now);
}
