/**
 * Reaching the silent authorize step (`prompt=none`) and reading it back, for the authorize-fault
 * cells on both engines (fault-authorize.spec.ts, firefox-authorize.spec.ts).
 */
import type { EmulatorHandle } from "./extension-emulator.js";
import type { Page } from "./extension-page-calls.js";
import { expireAccessToken } from "./token-expiry.js";
import type { StatusView } from "../../extension/protocol/views.js";

/** Either engine's browser: the UI channel the options page uses. */
interface WithUiChannel {
  send<T = unknown>(message: Record<string, unknown>): Promise<T>;
}

/** Access token expired (no proactive refresh) and refresh tokens expired: the next ask reaches prompt=none. */
export async function reachPromptNone(stack: Parameters<typeof expireAccessToken>[0], tab: Page, lifetimeS = 2): Promise<void> {
  await expireAccessToken(stack, tab, lifetimeS);
  await stack.emulator.expire("refresh_tokens");
}

/** The prompt=none GETs on /authorize the IdP saw since `since`. */
export async function silentAuthorizes(emulator: EmulatorHandle, since: number) {
  return (await emulator.requests({ since, endpoint: "authorize", method: "GET" })).filter((r) => r.prompt === "none");
}

/**
 * The broker's silent attempts as the IdP saw them: one per correlation id (Chromium may resend a
 * navigation whose reused connection was reset — same URL, same id — so raw GETs can be more).
 */
export function attemptsOf(silent: Array<{ time: number; correlationId?: string }>): number[] {
  const first = new Map<string, number>();
  for (const s of silent) if (!first.has(s.correlationId ?? "")) first.set(s.correlationId ?? "", s.time);
  return [...first.values()].sort((a, b) => a - b);
}

/** How long the broker still holds the authorize endpoint's Retry-After gate (its status, read by the options page). */
export async function authorizeGateRemainingMs(browser: WithUiChannel): Promise<number> {
  const status = await browser.send<Pick<StatusView, "gates">>({ kind: "getStatus" });
  return Math.max(0, ...status.gates.filter((g) => g.subject.kind === "idp" && g.subject.endpoint === "authorize").map((g) => g.remainingMs));
}
