import { fillLogin } from "../support/extension-browser.js";
import { attributeOf, byTestId, click, screenshotOf, textOf, waitForSelector, type Page } from "./demo-browser.js";
import { popupStates } from "./popup-states.js";
import { summarize } from "./request-summary.js";
import { acquire, loadSeq, openShell, profileLoadedAfter, profileShown, reloadProfile, type AcquireOutcome } from "./shell-tab.js";
import { requestsSince, tokenRequests, type DemoContext, type Step } from "./demo-context.js";

const ADELE = { username: "adele@contoso.test", name: "Adele Vance" };
const INTERACTIVE_CODES = new Set(["interaction_required", "login_required", "invalid_grant", "consent_required", "no_account"]);

async function screenshot(ctx: DemoContext, page: Page, caption: string): Promise<void> {
  try {
    ctx.screenshots.push({ caption, pngBase64: await screenshotOf(page) });
  } catch {
    // A window that closed on its own (the sign-in window) is simply not pictured.
  }
}

/** Clicks a sign-in button, fills the broker's sign-in window, and pictures it. */
async function signInThroughWindow(ctx: DemoContext, page: Page, button: string): Promise<void> {
  const opened = ctx.browser.signInWindow();
  opened.catch(() => undefined); // awaited below; a failed click must not leave it unhandled
  await click(page, byTestId(button));
  const window = await opened;
  ctx.unexpectedWindows--; // this one was asked for
  await screenshot(ctx, window, "The extension's sign-in window (identity.launchWebAuthFlow) on the emulator");
  await fillLogin(window, ADELE.username);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const tally = (outcomes: AcquireOutcome[]) => {
  const ok = outcomes.filter((o) => o.ok).length;
  const codes = [...new Set(outcomes.filter((o) => !o.ok).map((o) => o.code))].join(", ");
  return `${ok}/${outcomes.length} served${codes ? `; others told: ${codes}` : ""}`;
};

/** Retryable answers that tell the page to wait (the broker's backoff reaches it as a wait, not a hang). */
const WAIT_CODES = new Set(["idp_unavailable", "throttled", "timeout", "network_error", "TRANSIENT_ERROR"]);
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const slowest = (outcomes: AcquireOutcome[]) => (outcomes.length > 0 ? Math.max(...outcomes.map((o) => o.ms)) : 0);

const signInOnce: Step = {
  title: "Sign in once",
  async run(ctx) {
    const mark = await ctx.control.lastSeq();
    const page = await openShell(ctx.browser, ctx.url(ctx.apps[0]));
    ctx.tabs.push(page);
    const source = await textOf(page, byTestId("token-source"));
    await signInThroughWindow(ctx, page, "shell-sign-in");
    const shown = await profileShown(page, ADELE.name);
    await screenshot(ctx, page, `${ctx.apps[0].name}: the SPA shell after sign-in (token source: ${source})`);
    const entries = await requestsSince(ctx, mark);
    const codes = entries.filter((e) => e.grantType === "authorization_code" && e.status === 200).length;
    return {
      ok: shown && source === "extension" && codes === 1,
      lines: [
        `${ctx.apps[0].name} asked the extension for a token; the user signed in once in the extension's window.`,
        `Profile from GET /v1.0/me: ${shown ? ADELE.name : "not shown"}; token source: ${source}.`,
        `IdP saw: ${summarize(entries)}.`,
      ],
    };
  },
};

const fiveTabsSilently: Step = {
  title: "5 tabs on 2 apps get tokens silently",
  async run(ctx) {
    const mark = await ctx.control.lastSeq();
    const windowsBefore = ctx.unexpectedWindows;
    const plan = [ctx.apps[0], ctx.apps[0], ctx.apps[1], ctx.apps[1]];
    const pages = await Promise.all(plan.map((app) => openShell(ctx.browser, ctx.url(app))));
    ctx.tabs.push(...pages);
    const shown = await Promise.all(ctx.tabs.map((p) => profileShown(p, ADELE.name)));
    const outcomes = await Promise.all(ctx.tabs.map((p) => acquire(p)));
    await screenshot(ctx, pages[2]!, `${ctx.apps[1].name}: a second app, signed in silently through the same broker`);
    const entries = await requestsSince(ctx, mark);
    const prompts = ctx.unexpectedWindows - windowsBefore;
    const authorize = entries.filter((e) => e.endpoint === "authorize").length;
    return {
      ok: shown.every(Boolean) && outcomes.every((o) => o.ok) && prompts === 0 && authorize === 0,
      lines: [
        `Opened ${pages.length} more tabs (${plan.map((a) => a.name).join(", ")}): ${shown.filter(Boolean).length}/${ctx.tabs.length} tabs show the profile; sign-in windows: ${prompts}.`,
        `Token requests from the tabs: ${tally(outcomes)}.`,
        `IdP saw: ${summarize(entries)} (tokens came from the broker's cache).`,
      ],
    };
  },
};

const retryAfterStorm: Step = {
  title: "429 storm: nothing is sent inside Retry-After",
  async run(ctx) {
    const waitMs = ctx.timing.retryAfterSeconds * 1000;
    const mark = await ctx.control.lastSeq();
    await ctx.control.setFault({ endpoint: "token", type: "status", status: 429, retryAfter: ctx.timing.retryAfterSeconds, durationMs: waitMs });
    const outcomes: AcquireOutcome[] = [];
    const started = Date.now();
    // Every tab asks for a fresh token once a second for the whole window.
    while (Date.now() - started < waitMs - 500) {
      outcomes.push(...(await Promise.all(ctx.tabs.map((p) => acquire(p, { forceRefresh: true })))));
      await sleep(1000);
    }
    await sleep(Math.max(0, started + waitMs + 1500 - Date.now()));
    const after = await acquire(ctx.tabs[0]!, { forceRefresh: true });
    const entries = await requestsSince(ctx, mark);
    const first429 = tokenRequests(entries).find((e) => e.status === 429);
    const windowEnd = (first429?.time ?? started) + waitMs;
    const inside = tokenRequests(entries).filter((e) => first429 && e.seq > first429.seq && e.time < windowEnd);
    const preflightsInside = entries.filter((e) => e.endpoint === "token" && e.method === "OPTIONS" && first429 && e.seq > first429.seq && e.time < windowEnd);
    ctx.faults.push({ label: `429, Retry-After ${ctx.timing.retryAfterSeconds} s`, kind: "throttle", start: first429?.time ?? started, end: windowEnd });
    return {
      ok: first429 !== undefined && inside.length === 0 && after.ok,
      lines: [
        `The IdP answered 429 with Retry-After: ${ctx.timing.retryAfterSeconds} s; ${ctx.tabs.length} tabs kept asking for fresh tokens every second (${outcomes.length} requests).`,
        `Tabs: ${tally(outcomes)} — answered at once, never hung (slowest ${Math.round(slowest(outcomes))} ms).`,
        `Token requests that reached the IdP inside the Retry-After window: ${inside.length}${preflightsInside.length ? ` (plus ${preflightsInside.length} CORS preflights by the browser)` : ""}.`,
        `After the window: ${after.ok ? "a fresh token at the first ask" : `still failing (${after.code})`}.`,
        `IdP saw: ${summarize(entries)}.`,
      ],
    };
  },
};


/** Polls the emulator's log until a token request after `mark` succeeded, or `deadline` (epoch ms) passes. */
async function firstTokenSuccess(ctx: DemoContext, mark: number, deadline: number) {
  for (;;) {
    const success = tokenRequests(await requestsSince(ctx, mark)).find((e) => e.status === 200);
    if (success || Date.now() > deadline) return success;
    await sleep(500);
  }
}

/** One forced refresh a tab asked for: what it got and when (demo-process clock = the emulator's clock). */
interface TimedOutcome {
  outcome: AcquireOutcome;
  askedAt: number;
  answeredAt: number;
  /** Expiry of the token the tab held before the outage. */
  cachedExpiry: number | undefined;
}

async function timedAcquire(page: Page, cachedExpiry: number | undefined): Promise<TimedOutcome> {
  const askedAt = Date.now();
  const outcome = await acquire(page, { forceRefresh: true });
  return { outcome, askedAt, answeredAt: Date.now(), cachedExpiry };
}

const outage: Step = {
  title: "5xx outage: cached tokens keep working, retries back off",
  async run(ctx) {
    const tabs = ctx.tabs;
    // The token every tab holds before the outage: a forced refresh answered with this expiry got the cached token.
    const before = await Promise.all(tabs.map((p) => acquire(p)));
    const mark = await ctx.control.lastSeq();
    const fault = await ctx.control.setFault({ endpoint: "token", type: "status", status: 503, durationMs: ctx.timing.outageMs });
    const outageEnd = fault.until ?? Date.now() + ctx.timing.outageMs;
    const outageStart = outageEnd - ctx.timing.outageMs;
    // Every second of the outage every tab asks for a fresh token (not waiting for the answer) and
    // uses its cached token.
    const pending: Promise<TimedOutcome>[] = [];
    const cached: AcquireOutcome[] = [];
    while (Date.now() < outageEnd - 1000) {
      pending.push(...tabs.map((p, i) => timedAcquire(p, before[i]?.expiresOn)));
      cached.push(...(await Promise.all(tabs.map((p) => acquire(p)))));
      await sleep(1000);
    }
    const profileDuringOutage = (await reloadProfile(tabs[1]!)).ok;
    // No tab asks anything new until the breaker's next window (≥ 5 s × 2^failures, +20 % jitter) has
    // passed the outage's end: does the broker's own backoff retry find the IdP back?
    const failedSoFar = tokenRequests(await requestsSince(ctx, mark)).filter((e) => e.status >= 500);
    const lastFailure = failedSoFar.at(-1)?.time ?? outageStart;
    const nextWindowEnd = lastFailure + 5000 * 2 ** Math.max(0, failedSoFar.length - 1) * 1.2;
    const retried = await firstTokenSuccess(ctx, mark, Math.max(outageEnd, nextWindowEnd) + 2000);
    const after = await acquire(tabs[0]!, { forceRefresh: true });
    const settle = sleep(Math.max(0, outageEnd + 60_000 - Date.now())).then(() => undefined);
    const forced = (await Promise.all(pending.map((p) => Promise.race([p, settle])))).filter((f): f is TimedOutcome => f !== undefined);
    const unanswered = pending.length - forced.length;
    const entries = await requestsSince(ctx, mark);
    const recovered = retried ?? tokenRequests(entries).find((e) => e.status === 200);
    ctx.faults.push({ label: `503 outage ${Math.round(ctx.timing.outageMs / 1000)} s`, kind: "outage", start: outageStart, end: outageEnd });

    // Token requests that reached the IdP from the outage's start to the first success: one per backoff window.
    const attempts = tokenRequests(entries).filter((e) => !recovered || e.seq <= recovered.seq);
    const failures = attempts.filter((e) => e.status >= 500);
    const intervals = attempts.slice(1).map((e, i) => e.time - attempts[i]!.time);
    // Window n of the breaker lasts at least 5 s × 2^(n-1): 5, 10, 20 s …
    const backedOff = intervals.every((gap, i) => gap >= 5000 * 2 ** i);

    // The IdP issued no token before `recovered`: a token answered before it is the cached one.
    const servedCached = forced.filter((f) => f.outcome.ok && (!recovered || f.answeredAt < recovered.time));
    const servedAfterRecovery = forced.filter((f) => f.outcome.ok && recovered !== undefined && f.answeredAt >= recovered.time);
    const toldToWait = forced.filter((f) => !f.outcome.ok && WAIT_CODES.has(f.outcome.code ?? "") && (f.outcome.retryAfterMs ?? 0) > 0);
    const others = forced.filter((f) => !f.outcome.ok && !toldToWait.includes(f));
    const otherCodes = [...new Set(others.map((f) => `${f.outcome.code}${f.outcome.retryAfterMs ? "" : " without a wait"}`))].join(", ");
    const waits = toldToWait.map((f) => f.outcome.retryAfterMs!);
    const codes = [...new Set(toldToWait.map((f) => f.outcome.code))].join("/");
    const slowestAnswer = forced.length > 0 ? Math.max(...forced.map((f) => f.answeredAt - f.askedAt)) : 0;
    const sinceOutageEnd = recovered ? recovered.time - outageEnd : undefined;
    return {
      ok:
        forced.length > 0 &&
        unanswered === 0 &&
        others.length === 0 &&
        cached.length > 0 &&
        cached.every((o) => o.ok) &&
        profileDuringOutage &&
        failures.length >= 1 &&
        backedOff &&
        recovered !== undefined &&
        sinceOutageEnd !== undefined &&
        sinceOutageEnd >= 0 &&
        after.ok,
      lines: [
        `The token endpoint answered 503 for ${Math.round(ctx.timing.outageMs / 1000)} s. Every second each of ${tabs.length} tabs used its cached token (${tally(cached)}; the profile still loads: ${profileDuringOutage ? "yes" : "no"}) and asked for a fresh one (${forced.length} forced refreshes).`,
        `Forced refreshes: ${servedCached.length} got the cached token (the IdP issued none during the outage); ${toldToWait.length} were told ${codes || "to wait"}${waits.length ? ` with a wait of ${seconds(Math.min(...waits))}–${seconds(Math.max(...waits))}` : ""}; ${servedAfterRecovery.length} got a token after the IdP recovered${others.length ? `; ${others.length} got another answer (${otherCodes})` : ""}${unanswered ? `; ${unanswered} were never answered` : ""}. Slowest answer: ${seconds(slowestAnswer)}.`,
        `Token requests that reached the IdP: ${failures.length} failed (503)${recovered ? ", then 1 succeeded" : ""}; spacing between them: ${intervals.map(seconds).join(", ") || "—"} (the breaker's windows: ≥ 5 s, then ≥ 10 s, ≥ 20 s …).`,
        retried
          ? `The first successful refresh reached the IdP ${seconds(sinceOutageEnd!)} after the outage ended: the broker's next backoff retry (no tab asked anything new after the outage ended).`
          : `The broker sent no retry of its own by the end of its next backoff window (${seconds(Math.max(outageEnd, nextWindowEnd) + 2000 - outageEnd)} after the outage ended); the first successful refresh came when a tab asked again, ${recovered ? seconds(recovered.time - outageEnd) : "—"} after the outage ended.`,
        `A forced refresh afterwards: ${after.ok ? "a new token" : `still failing (${after.code})`}. IdP saw: ${summarize(entries)}.`,
      ],
    };
  },
};

const caeRevocation: Step = {
  title: "CAE: revocation is noticed at once, and the user recovers",
  async run(ctx) {
    const mark = await ctx.control.lastSeq();
    const revokedAt = Date.now();
    await ctx.control.revoke(ADELE.username);
    const page = ctx.tabs[0]!;
    const challenged = await reloadProfile(page);
    await waitForSelector(page, byTestId("shell-error"));
    const code = (await attributeOf(page, byTestId("shell-error"), "data-code")) ?? "";
    const sentence = (await textOf(page, byTestId("shell-error"))) ?? "";
    await screenshot(ctx, page, "After revocation: the resource's claims challenge reached the shell, which asks the user to sign in");
    const seqBeforeSignIn = await loadSeq(page);
    await signInThroughWindow(ctx, page, "shell-sign-in-again");
    const recovered = await profileLoadedAfter(page, seqBeforeSignIn);
    ctx.faults.push({ label: "revoked → re-sign-in", kind: "revocation", start: revokedAt, end: Date.now() });
    // Another app's tab meets the same challenge and recovers silently with the new sign-in.
    const otherRecovered = (await reloadProfile(ctx.tabs[3]!)).ok;
    const entries = await requestsSince(ctx, mark);
    const challenges = entries.filter((e) => e.endpoint === "me" && e.status === 401).length;
    return {
      ok: !challenged.ok && challenges >= 1 && INTERACTIVE_CODES.has(code) && recovered && otherRecovered,
      lines: [
        `The admin revoked ${ADELE.username}'s sessions. GET /v1.0/me answered 401 with a claims challenge (${challenges}×).`,
        `The shell asked the broker once with the challenge's claims (cache bypassed); the refresh token was revoked too, so it said: “${sentence.replace(/\s*Sign in$/, "")}”`,
        `After one sign-in: profile ${recovered ? "loaded again" : "NOT loaded"}; another app's tab met the same challenge and ${otherRecovered ? "recovered silently" : "did NOT recover"}.`,
        `IdP saw: ${summarize(entries)}.`,
      ],
    };
  },
};

const restartWithoutPrompt: Step = {
  title: "Service worker killed, browser restarted: no prompt",
  async run(ctx) {
    let mark = await ctx.control.lastSeq();
    const windowsBefore = ctx.unexpectedWindows;
    await ctx.browser.stopWorker();
    const afterKill = await acquire(ctx.tabs[2]!, { forceRefresh: true });
    const killEntries = await requestsSince(ctx, mark);

    const popup = await ctx.browser.extensionPage("popup.html");
    await screenshot(ctx, popup, "The extension's popup: account, cache (no token values), throttling state, events");

    const restartStarted = Date.now();
    await ctx.restartBrowser();
    mark = await ctx.control.lastSeq();
    const page = await openShell(ctx.browser, ctx.url(ctx.apps[1]));
    ctx.tabs = [page];
    const shown = await profileShown(page, ADELE.name);
    ctx.faults.push({ label: "browser restart", kind: "restart", start: restartStarted, end: Date.now() });
    const entries = await requestsSince(ctx, mark);
    const prompts = ctx.unexpectedWindows - windowsBefore;
    return {
      ok: afterKill.ok && shown && prompts === 0 && tokenRequests(entries).length <= 1 && entries.every((e) => e.endpoint !== "authorize"),
      lines: [
        `${ctx.engine === "firefox" ? "Event page suspended" : "Service worker stopped"}; the next request woke a fresh one: ${afterKill.ok ? "token served" : `failed (${afterKill.code})`}. IdP saw: ${summarize(killEntries)}.`,
        `Browser closed and relaunched with the same profile; a new tab at once (no wait for the bridge): profile ${shown ? "shown" : "NOT shown"} with ${prompts} sign-in windows.`,
        `IdP saw after the restart: ${summarize(entries)} (the encrypted cache survived).`,
      ],
    };
  },
};

export const DEMO_STEPS: Step[] = [signInOnce, fiveTabsSilently, retryAfterStorm, outage, caeRevocation, restartWithoutPrompt, popupStates];
