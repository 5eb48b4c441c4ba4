/**
 * What the e2e tests do inside a fixture page: drive the unmodified MSAL app (`window.naaApp`) or
 * talk to `window.nestedAppAuthBridge` directly with raw NAA requests.
 */
import type { Page as ChromiumPage } from "@playwright/test";
import type { Page as FirefoxPage } from "puppeteer-core";
import type { AppResult } from "./extension-browser.js";

/** A tab in either engine: Playwright drives Chromium, puppeteer-core drives Firefox (./firefox.ts). */
export type Page = ChromiumPage | FirefoxPage;

/** Runs `fn(arg)` in the page: both drivers serialise the function and its one argument alike. */
export function inPage<A, R>(page: Page, fn: (arg: A) => R | Promise<R>, arg: A): Promise<R> {
  return (page as ChromiumPage).evaluate(fn as (arg: unknown) => R | Promise<R>, arg);
}

interface NaaApp {
  hasBridge(): boolean;
  mode(): Promise<string>;
  popup(options?: { scopes?: string[]; claims?: string }): Promise<AppResult>;
  silent(options?: { scopes?: string[]; claims?: string; forceRefresh?: boolean }): Promise<AppResult>;
}

type AppOptions = { scopes?: string[]; claims?: string; forceRefresh?: boolean };

export function appSilent(page: Page, options: AppOptions = {}): Promise<AppResult> {
  return inPage(page, (o) => (window as unknown as { naaApp: NaaApp }).naaApp.silent(o), options);
}

export function appPopup(page: Page, options: AppOptions = {}): Promise<AppResult> {
  return inPage(page, (o) => (window as unknown as { naaApp: NaaApp }).naaApp.popup(o), options);
}

export function hasBridge(page: Page): Promise<boolean> {
  return inPage(page, () => "nestedAppAuthBridge" in window, undefined);
}

export interface BridgeReply {
  requestId: string;
  success: boolean;
  token?: { access_token: string; expires_in: number; scope?: string };
  account?: { username: string; homeAccountId?: string };
  initContext?: unknown;
  error?: { status: string; code?: string; description?: string; properties?: Record<string, unknown> };
}

/**
 * In-page source of one raw bridge call. Kept as a string so that no transpiler helper (tsx/esbuild's
 * `__name`) leaks into the code Playwright sends to the page.
 */
const RAW_BRIDGE_CALL = `async ({ request, timeoutMs, delayMs }) => new Promise((resolve) => setTimeout(resolve, delayMs)).then(() => new Promise((resolve) => {
  const bridge = window.nestedAppAuthBridge;
  const requestId = crypto.randomUUID();
  let timer;
  const onMessage = (raw) => {
    const reply = JSON.parse(raw);
    if (reply.requestId !== requestId) return;
    clearTimeout(timer);
    bridge.removeEventListener("message", onMessage);
    resolve(reply);
  };
  timer = setTimeout(() => { bridge.removeEventListener("message", onMessage); resolve("timeout"); }, timeoutMs);
  bridge.addEventListener("message", onMessage);
  const tokenParams = request.method === "GetInitContext" ? undefined : {
    clientId: request.clientId,
    scope: request.scope ?? "User.Read openid profile offline_access",
    correlationId: crypto.randomUUID(),
    ...(request.claims ? { claims: request.claims } : {}),
    ...(request.forceRefresh ? { forceRefresh: true } : {}),
    ...(request.loginHint ? { loginHint: request.loginHint } : {}),
    ...(request.platformBrokerId ? { platformBrokerId: request.platformBrokerId } : {}),
  };
  bridge.postMessage(JSON.stringify({ messageType: "NestedAppAuthRequest", method: request.method, requestId,
    sendTime: Date.now(), clientLibrary: "e2e", clientLibraryVersion: "1", tokenParams }));
}))`;

/**
 * Sends one raw NAA request through the page's bridge; resolves with the reply or "timeout".
 * Playwright evaluates with a user gesture, so the page has transient user activation for ~5 s:
 * `delayMs` past that sends the request as an app's own code would, with no click behind it.
 */
export function rawBridgeCall(
  page: Page,
  /** platformBrokerId: the account's homeAccountId, as msal-browser names the account it asks for. */
  request: { method: string; clientId: string; scope?: string; claims?: string; forceRefresh?: boolean; loginHint?: string; platformBrokerId?: string },
  timeoutMs = 30_000,
  delayMs = 0,
): Promise<BridgeReply | "timeout"> {
  return (page as ChromiumPage).evaluate(`(${RAW_BRIDGE_CALL})(${JSON.stringify({ request, timeoutMs, delayMs })})`) as Promise<BridgeReply | "timeout">;
}
