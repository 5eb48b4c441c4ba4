import type { Page } from "@playwright/test";
import { fillLogin, openExtensionPage, stopServiceWorkers } from "../support/extension-browser";
import { summarize } from "./idp-control";
import { acquire, loadSeq, openShell, profileLoadedAfter, profileShown, reloadProfile, type AcquireOutcome } from "./shell-tab";
import { requestsSince, tokenRequests, type DemoContext, type Step } from "./demo-context";

const ADELE = { username: "adele@contoso.test", name: "Adele Vance" };
const INTERACTIVE_CODES = new Set(["interaction_required", "login_required", "invalid_grant", "consent_required", "no_account"]);

async function screenshot(ctx: DemoContext, page: Page, caption: string): Promise<void> {
  try {
    ctx.screenshots.push({ caption, pngBase64: (await page.screenshot({ fullPage: false })).toString("base64") });
  } catch {
    // A window that closed on its own (the sign-in window) is simply not pictured.
  }
}

/** Clicks a sign-in button, fills the broker's sign-in window, and pictures it. */
async function signInThroughWindow(ctx: DemoContext, page: Page, button: string): Promise<void> {
  const opened = page.context().waitForEvent("page", { predicate: (p) => p !== page, timeout: 20_000 });
  await page.getByTestId(button).click();
  const window = await opened;
  ctx.unexpectedWindows--; // this one was asked for
  await window.locator("input[name=username]").waitFor();
  await screenshot(ctx, window, "The extension's sign-in window (chrome.identity.launchWebAuthFlow) on the emulator");
  await fillLogin(window, ADELE.username);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const tally = (outcomes: AcquireOutcome[]) => {
  const ok = outcomes.filter((o) => o.ok).length;
  const codes = [...new Set(outcomes.filter((o) => !o.ok).map((o) => o.code))].join(", ");
  return `${ok}/${outcomes.length} served${codes ? `; others told: ${codes}` : ""}`;
};

export const signInOnce: Step = {
  title: "Sign in once",
  async run(ctx) {
    const mark = await ctx.control.lastSeq();
    const page = await openShell(ctx.browser, ctx.url(ctx.apps[0]));
    ctx.tabs.push(page);
    const source = await page.getByTestId("token-source").textContent();
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

export const fiveTabsSilently: Step = {
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

export const retryAfterStorm: Step = {
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
        `Tabs: ${tally(outcomes)} — answered at once, never hung (slowest ${Math.round(Math.max(...outcomes.map((o) => o.ms)))} ms).`,
        `Token requests that reached the IdP inside the Retry-After window: ${inside.length}${preflightsInside.length ? ` (plus ${preflightsInside.length} CORS preflights by the browser)` : ""}.`,
        `After the window: ${after.ok ? "a fresh token at the first ask" : `still failing (${after.code})`}.`,
        `IdP saw: ${summarize(entries)}.`,
      ],
    };
  },
};

export const outage: Step = {
  title: "5xx outage: cached tokens keep working, retries back off",
  async run(ctx) {
    const mark = await ctx.control.lastSeq();
    const started = Date.now();
    await ctx.control.setFault({ endpoint: "token", type: "status", status: 503, durationMs: ctx.timing.outageMs });
    // Every tab needs a fresh token now (in the background) while the apps keep using their cached ones.
    const forced = Promise.all(ctx.tabs.map((p) => acquire(p, { forceRefresh: true })));
    const cached: AcquireOutcome[] = [];
    while (Date.now() - started < ctx.timing.outageMs - 1000) {
      cached.push(...(await Promise.all(ctx.tabs.map((p) => acquire(p)))));
      await sleep(1000);
    }
    // The forced refreshes settle when the broker's backoff retry lands after the outage (capped wait).
    const refresh = await Promise.race([forced, sleep(Math.max(0, started + ctx.timing.outageMs + 25_000 - Date.now())).then(() => undefined)]);
    const settledAfterOutageMs = Date.now() - (started + ctx.timing.outageMs);
    const profileDuringOutage = (await reloadProfile(ctx.tabs[1]!)).ok;
    const after = refresh ? await acquire(ctx.tabs[0]!, { forceRefresh: true }) : { ok: false, code: "still_waiting", ms: 0 };
    const entries = await requestsSince(ctx, mark);
    const failures = tokenRequests(entries).filter((e) => e.status >= 500);
    const gaps = failures.slice(1).map((e, i) => e.time - failures[i]!.time);
    const minGap = gaps.length > 0 ? Math.min(...gaps) : undefined;
    ctx.faults.push({ label: `503 outage ${Math.round(ctx.timing.outageMs / 1000)} s`, kind: "outage", start: started, end: started + ctx.timing.outageMs });
    return {
      ok: cached.length > 0 && cached.every((o) => o.ok) && profileDuringOutage && (minGap === undefined || minGap >= 5000) && after.ok,
      lines: [
        `The token endpoint answered 503 for ${Math.round(ctx.timing.outageMs / 1000)} s. Forced refreshes from ${ctx.tabs.length} tabs: ${refresh ? `${tally(refresh)} (slowest ${Math.round(Math.max(...refresh.map((o) => o.ms)) / 100) / 10} s)` : "still waiting on the broker's backoff retries 25 s after the outage"}.`,
        ...(refresh ? [`Those forced refreshes were answered ${(settledAfterOutageMs / 1000).toFixed(1)} s after the outage ended, by the broker's next backoff retry.`] : []),
        `Cached tokens during the outage: ${tally(cached)}; the profile still loads: ${profileDuringOutage ? "yes" : "no"}.`,
        `Failed token requests at the IdP: ${failures.length}; gaps between them: ${gaps.map((g) => `${(g / 1000).toFixed(1)} s`).join(", ") || "—"} (first retry must wait ≥ 5 s).`,
        `After the outage: ${after.ok ? "refresh succeeded" : `still failing (${after.code})`}. IdP saw: ${summarize(entries)}.`,
      ],
    };
  },
};

export const caeRevocation: Step = {
  title: "CAE: revocation is noticed at once, and the user recovers",
  async run(ctx) {
    const mark = await ctx.control.lastSeq();
    const revokedAt = Date.now();
    await ctx.control.revoke(ADELE.username);
    const page = ctx.tabs[0]!;
    const challenged = await reloadProfile(page);
    const error = page.getByTestId("shell-error");
    await error.waitFor({ timeout: 20_000 });
    const code = (await error.getAttribute("data-code")) ?? "";
    const sentence = (await error.textContent()) ?? "";
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

export const restartWithoutPrompt: Step = {
  title: "Service worker killed, browser restarted: no prompt",
  async run(ctx) {
    let mark = await ctx.control.lastSeq();
    const windowsBefore = ctx.unexpectedWindows;
    await stopServiceWorkers(ctx.tabs[0]!);
    const afterKill = await acquire(ctx.tabs[2]!, { forceRefresh: true });
    const killEntries = await requestsSince(ctx, mark);

    const popup = await openExtensionPage(ctx.browser, "options.html");
    await popup.goto(popup.url().replace("options.html", "popup.html"));
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
        `Service worker stopped; the next request woke a fresh one: ${afterKill.ok ? "token served" : `failed (${afterKill.code})`}. IdP saw: ${summarize(killEntries)}.`,
        `Browser closed and relaunched with the same profile: profile ${shown ? "shown" : "NOT shown"} with ${prompts} sign-in windows.`,
        `IdP saw after the restart: ${summarize(entries)} (the encrypted cache survived).`,
      ],
    };
  },
};

export const DEMO_STEPS: Step[] = [signInOnce, fiveTabsSilently, retryAfterStorm, outage, caeRevocation, restartWithoutPrompt];
