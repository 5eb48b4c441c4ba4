/**
 * Refresh-token rotation must never be raced — not even across a worker that was killed while its
 * refresh request was in flight. This HttpClient wrapper journals every refresh-token redemption (a
 * SHA-256 of the token, never the token) before sending and clears the entry when an answer arrives.
 *
 * A later worker that finds an unfinished entry from a previous worker does not know whether the
 * redemption happened. Entra does not revoke a refresh token that is presented again (the earlier
 * one stays valid until it expires), so resending it is safe and keeps the user signed in even when
 * the IdP session has gone (no `prompt=none` to fall back to). The entry counts the resends: a
 * worker killed during a resend leaves the count behind. Two deaths in a row happen by chance (an
 * idle stop, then a browser update), and each resend is as safe as the first, so the token is resent
 * up to IN_DOUBT_RESENDS times; a third worker dying with the same redemption in flight is a pattern
 * (a redemption that kills every worker, or an IdP that does revoke on reuse), and the next worker
 * answers `invalid_grant` locally instead, so the chain drops the token and falls through to
 * `prompt=none` rather than loop on it. (Issue 22: refusing after one resend cost a sign-in when no
 * IdP session was there for `prompt=none` — e2e fault-lifecycle-worker.spec.ts, the double death.)
 */
import type { Clock, HttpClient, HttpRequest, HttpResponse } from "../../shared/ports.js";

export interface JournalArea {
  get(key: string): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(key: string): Promise<void>;
}

const PREFIX = "redeem:";
const STALE_MS = 24 * 3600_000;

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

function refreshTokenOf(request: HttpRequest): string | undefined {
  if (request.method !== "POST" || !request.body) return undefined;
  const form = new URLSearchParams(request.body);
  return form.get("grant_type") === "refresh_token" ? (form.get("refresh_token") ?? undefined) : undefined;
}

function interruptedAnswer(): HttpResponse {
  const body = JSON.stringify({
    error: "invalid_grant",
    error_description: "AADSTS70000: The refresh token's previous redemption was interrupted (local guard; not sent again).",
    error_codes: [70000],
  });
  return { status: 400, headers: { get: (name) => (name.toLowerCase() === "content-type" ? "application/json" : null) }, text: async () => body };
}

/** How many times a redemption left in doubt by a dead worker may be sent again (Entra-safe: see above). */
export const IN_DOUBT_RESENDS = 2;

interface JournalEntry {
  workerId?: string;
  at?: number;
  /** How many times this token was sent again after an earlier worker died with it in flight. */
  resends?: number;
}

export function guardRefreshRedemptions(inner: HttpClient, area: JournalArea, workerId: string, clock: Pick<Clock, "now">): HttpClient {
  return {
    async send(request: HttpRequest): Promise<HttpResponse> {
      const refreshToken = refreshTokenOf(request);
      if (!refreshToken) return inner.send(request);
      const key = PREFIX + (await sha256Hex(refreshToken));
      const entry = (await area.get(key))[key] as JournalEntry | undefined;
      const inDoubt = entry !== undefined && entry.workerId !== workerId && clock.now() - (entry.at ?? 0) < STALE_MS;
      const resends = inDoubt ? (entry.resends ?? 0) + 1 : 0;
      if (inDoubt && resends > IN_DOUBT_RESENDS) {
        await area.remove(key);
        return interruptedAnswer();
      }
      // The resend count is written before sending, so a worker killed during the resend leaves it behind.
      await area.set({ [key]: { workerId, at: clock.now(), resends } satisfies JournalEntry });
      try {
        const response = await inner.send(request);
        await area.remove(key);
        return response;
      } catch (error) {
        // Aborted by our own timeout or a network error while this worker lives: the outcome is
        // unknown too, but this worker's lock still serialises it; keep the entry only if the
        // worker dies before clearing it.
        await area.remove(key);
        throw error;
      }
    },
  };
}
