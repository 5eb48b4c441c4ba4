/**
 * Refresh-token rotation must never be raced — not even across a worker that was killed while its
 * refresh request was in flight. The IdP may have rotated that refresh token (its reply was lost
 * with the worker), so redeeming it again would trip reuse detection and revoke the whole token
 * family. This HttpClient wrapper journals every refresh-token redemption (a SHA-256 of the token,
 * never the token) before sending and clears the entry when an answer arrives; a later worker that
 * finds an unfinished entry from a previous worker refuses to send that token again and answers
 * `invalid_grant` locally, so the chain drops the token and falls through to `prompt=none`.
 */
import type { HttpClient, HttpRequest, HttpResponse } from "../../shared/ports.js";

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

export function guardRefreshRedemptions(inner: HttpClient, area: JournalArea, workerId: string, now = Date.now): HttpClient {
  return {
    async send(request: HttpRequest): Promise<HttpResponse> {
      const refreshToken = refreshTokenOf(request);
      if (!refreshToken) return inner.send(request);
      const key = PREFIX + (await sha256Hex(refreshToken));
      const entry = (await area.get(key))[key] as { workerId?: string; at?: number } | undefined;
      if (entry && entry.workerId !== workerId && now() - (entry.at ?? 0) < STALE_MS) {
        await area.remove(key);
        return interruptedAnswer();
      }
      await area.set({ [key]: { workerId, at: now() } });
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
