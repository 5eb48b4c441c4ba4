/**
 * Per-origin grants kept in chrome.storage.local, and the MAIN-world bridge + ISOLATED relay
 * registrations that follow them (dynamic content scripts vanish after a restart with
 * --load-extension, so they are re-synced at startup, install and every worker start).
 */
import { validateGrant, validateOrigin } from "../../shared/config/validate-settings.js";
import { AuthShellError } from "../../shared/errors.js";
import type { GrantPlain } from "../protocol/ui-channel.js";
import { contentScriptMatches } from "../broker/index.js";
import { browser, currentEngine } from "../platform/browser-api.js";
import type { Grant } from "../protocol/views.js";
import { t } from "../i18n/translate.js";

const GRANTS_STORAGE_KEY = "grants";
const SCRIPT_ID = "rtb-naa";
/**
 * The relay must run before the bridge (its listener answers the bridge's first ask). Firefox restores
 * persisted content scripts after a browser restart sorted by ID, not in registration order (seen on
 * 153 ESR: "rtb-naa-bridge" came first and no page got a bridge), so the IDs sort in injection order.
 */
const SCRIPT_IDS = [`${SCRIPT_ID}-1-relay`, `${SCRIPT_ID}-2-bridge`] as const;

let cached: Promise<Grant[]> | undefined;
// Any change to the stored grants (this worker, another extension page, sync) drops the memo, so
// each request is still decided against the current grants without a storage read on the hot path.
browser.storage.onChanged.addListener((changes, area) => {
  if (area === "local" && GRANTS_STORAGE_KEY in changes) cached = undefined;
});

export function listGrants(): Promise<Grant[]> {
  cached ??= browser.storage.local.get(GRANTS_STORAGE_KEY).then(
    (r) => {
      const stored = r[GRANTS_STORAGE_KEY];
      return Array.isArray(stored) ? (stored as Grant[]) : [];
    },
    (error: unknown) => {
      cached = undefined;
      throw error;
    },
  );
  return cached;
}

/** A grant as the options page sent it, validated like the form (a sentence per refused field). */
function checkGrant(input: GrantPlain) {
  const result = validateGrant(input, t);
  if (!result.ok) throw new AuthShellError("invalid_request", t("grants_failed", Object.values(result.refusals).join(" ")), { fields: result.refusals });
  return result.value;
}

function checkOrigin(input: string): string {
  const result = validateOrigin(input, t);
  if (!result.ok) throw new AuthShellError("invalid_request", result.refusal, { fields: { origin: result.refusal } });
  return result.value;
}

async function store(grants: Grant[]): Promise<Grant[]> {
  await browser.storage.local.set({ [GRANTS_STORAGE_KEY]: grants });
  cached = Promise.resolve(grants);
  await syncContentScripts(grants);
  return grants;
}

/** Adds or replaces a grant; no client IDs = the configured client; no scopes = the default scopes. */
export async function addGrant(input: GrantPlain, defaultClientId: string, now: number): Promise<Grant[]> {
  const checked = checkGrant(input);
  const origin = checked.origin;
  const previous = (await listGrants()).find((g) => g.origin === origin);
  const grant: Grant = {
    origin,
    clientIds: checked.clientIds.length ? checked.clientIds : [defaultClientId],
    addedAt: previous?.addedAt ?? now,
  };
  if (checked.scopes) grant.scopes = checked.scopes;
  const grants = (await listGrants()).filter((g) => g.origin !== origin);
  grants.push(grant);
  grants.sort((a, b) => a.origin.localeCompare(b.origin));
  return store(grants);
}

export async function removeGrant(origin: string): Promise<Grant[]> {
  const normalised = checkOrigin(origin);
  return store((await listGrants()).filter((g) => g.origin !== normalised));
}

/** The configured client ID changed: grants that named the old one name the new one; answers how many. */
export async function moveGrantsToClient(from: string, to: string): Promise<number> {
  const grants = await listGrants();
  let moved = 0;
  const next = grants.map((g) => {
    if (!g.clientIds.includes(from)) return g;
    moved++;
    return { ...g, clientIds: [...new Set(g.clientIds.map((id) => (id === from ? to : id)))] };
  });
  if (moved > 0) await store(next);
  return moved;
}

/** The content scripts' match patterns for these grants on this engine (per host on Firefox). */
export function grantMatches(grants: readonly Grant[]): string[] {
  return contentScriptMatches(grants.map((g) => g.origin), currentEngine());
}

let syncing: Promise<void> = Promise.resolve();

/** Makes the registered content scripts match the grants exactly (serialised: one sync at a time). */
export function syncContentScripts(grants?: Grant[]): Promise<void> {
  syncing = syncing.catch(() => undefined).then(async () => {
    // Only valid origins become match patterns: Chrome's "Invalid value for origin pattern" must never
    // surface (a grant stored by an older version could hold anything).
    const current = (grants ?? (await listGrants())).filter((g) => validateOrigin(g.origin, t).ok);
    const registered = await browser.scripting.getRegisteredContentScripts();
    const ours = registered.filter((s) => s.id.startsWith(SCRIPT_ID));
    const matches = grantMatches(current);
    const same = (list?: string[]) => JSON.stringify([...(list ?? [])].sort()) === JSON.stringify(matches);
    // Already right (the usual case at a worker wake-up): touch nothing, so no page load can fall
    // into an unregister/register gap.
    const inOrder = ours.map((s) => s.id).join() === SCRIPT_IDS.join();
    if (matches.length > 0 && inOrder && ours.every((s) => same(s.matches))) return;
    if (ours.length > 0) await browser.scripting.unregisterContentScripts({ ids: ours.map((s) => s.id) });
    if (current.length === 0) return;
    try {
      // The relay first, so its listener exists before the bridge can post anything.
      await browser.scripting.registerContentScripts([
        { id: SCRIPT_IDS[0], matches, js: ["relay.isolated.js"], runAt: "document_start", allFrames: true, world: "ISOLATED", persistAcrossSessions: true },
        { id: SCRIPT_IDS[1], matches, js: ["naa-bridge.main.js"], runAt: "document_start", allFrames: true, world: "MAIN", persistAcrossSessions: true },
      ]);
    } catch (error) {
      throw new AuthShellError("internal_error", "Could not register the bridge for the granted sites", { cause: error });
    }
  });
  return syncing;
}
