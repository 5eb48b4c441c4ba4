/**
 * One cookie-less look at the authorize URL after a silent sign-in flow failed, to learn what the
 * browser's auth flow hides. Chromium reports a 429, a 5xx and an unreachable IdP alike as "could not
 * be loaded" (and never shows a Retry-After); Firefox reports every failure, a real "sign-in needed"
 * included, as "Requires user interaction". Without cookies the IdP cannot issue a code: a healthy one
 * redirects with login_required or shows its sign-in page, which tells "it answers" apart from 429
 * (with its Retry-After), a 5xx, or no answer at all.
 */
import { parseRetryAfter } from "../../shared/resilience/retry-after.js";

export type ProbeVerdict =
  /** 429: the wait its Retry-After asks for (the default wait when it gives none). */
  | { kind: "throttled"; retryAfterMs: number }
  /** A 5xx (`status`), or no answer at all (network failure, timeout). */
  | { kind: "unavailable"; status?: number }
  /** The IdP answered (a redirect, a page): the flow's own answer stands. */
  | { kind: "answers" }
  /** Not looked: without host access to the IdP an extension cannot read a cross-origin answer. */
  | { kind: "not_probed" };

export interface ProbeDeps {
  fetch(url: string, init: { credentials: "omit"; redirect: "manual"; cache: "no-store"; signal: AbortSignal }): Promise<{ status: number; headers: { get(name: string): string | null } }>;
  /** Whether the extension has host access to the URL's origin (permissions.contains). */
  canRead(url: string): Promise<boolean>;
  now(): number;
}

const PROBE_TIMEOUT_MS = 10_000;

export async function probeAuthorize(url: string, deps: ProbeDeps): Promise<ProbeVerdict> {
  if (!(await deps.canRead(url).catch(() => false))) return { kind: "not_probed" };
  let response: { status: number; headers: { get(name: string): string | null } };
  try {
    response = await deps.fetch(url, { credentials: "omit", redirect: "manual", cache: "no-store", signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
  } catch {
    return { kind: "unavailable" };
  }
  if (response.status === 429) return { kind: "throttled", retryAfterMs: parseRetryAfter(response.headers.get("retry-after"), deps.now()) };
  if (response.status >= 500) return { kind: "unavailable", status: response.status };
  // 0 (an opaque redirect: login_required on its way to the redirect URI), 200 (a page), a 4xx.
  return { kind: "answers" };
}
