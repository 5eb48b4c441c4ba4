/**
 * The bridge for pages that loaded before this worker registered it. Chrome clears dynamic content
 * scripts when it reloads an extension (every start with --load-extension, every extension update),
 * and the worker re-registers them only once it runs — tabs restored at browser start-up usually
 * load first and would see no `window.nestedAppAuthBridge`. After (re-)registering, the worker
 * therefore injects the same two scripts into the frames of already-open tabs that are on a granted
 * origin and have no relay yet. msal-browser picks the bridge or standalone when the app creates its
 * nestable client, so this reaches every app that has not done so yet (the usual lazy start: on the
 * first sign-in or token call); an app that already went standalone needs a reload.
 *
 * Rights still come only from grants: a frame is injected only when its own origin is granted, and
 * the worker authorises every request from the Port's browser-filled sender as always.
 */
import { AuthShellError } from "../../shared/errors.js";
import type { Emit, ExtensionEventType } from "../../shared/events.js";
import { RELAY_MARK } from "../content/relay-mark.js";
import { browser } from "../platform/browser-api.js";

export interface FrameFacts {
  tabId: number;
  frameId: number;
  origin: string;
  hasRelay: boolean;
}

/** The browser calls this needs: Chrome's tabs + scripting in the worker, fakes in unit tests. */
export interface TabScripting {
  /** Open tabs whose URL matches one of the patterns. */
  tabs(matches: string[]): Promise<number[]>;
  /** Every frame of the tab with its origin and whether our relay already runs there. */
  frames(tabId: number): Promise<FrameFacts[]>;
  /** Runs the extension file in that frame, in that world. */
  inject(tabId: number, frameId: number, file: string, world: "ISOLATED" | "MAIN"): Promise<void>;
}

/** Injects relay then bridge into each granted frame without a relay; returns how many frames got them. */
export async function adoptOpenTabs(grantedOrigins: readonly string[], matches: string[], scripting: TabScripting, emit: Emit<ExtensionEventType>): Promise<number> {
  if (grantedOrigins.length === 0) return 0;
  const granted = new Set(grantedOrigins);
  let adopted = 0;
  for (const tabId of await scripting.tabs(matches)) {
    let frames: FrameFacts[];
    try {
      frames = await scripting.frames(tabId);
    } catch (error) {
      // A tab that closed or navigated to an error page meanwhile: nothing to adopt there.
      emit("grants.adopt_skipped", `A tab could not be inspected: ${AuthShellError.from(error).message}`);
      continue;
    }
    for (const frame of frames) {
      if (frame.hasRelay || !granted.has(frame.origin)) continue;
      try {
        // The relay first, so its listener exists before the bridge can post anything.
        await scripting.inject(tabId, frame.frameId, "relay.isolated.js", "ISOLATED");
        await scripting.inject(tabId, frame.frameId, "naa-bridge.main.js", "MAIN");
        adopted += 1;
      } catch (error) {
        emit("grants.adopt_failed", `Could not add the bridge to an open tab: ${AuthShellError.from(error).message}`);
      }
    }
  }
  if (adopted > 0) emit("grants.adopted", `Bridge added to ${adopted} frame(s) that loaded before the extension was ready`);
  return adopted;
}

/** TabScripting on chrome.tabs and chrome.scripting (host permissions suffice; no "tabs" permission). */
export function chromeTabScripting(): TabScripting {
  return {
    async tabs(matches) {
      const tabs = await browser.tabs.query({ url: matches });
      return tabs.flatMap((t) => (typeof t.id === "number" ? [t.id] : []));
    },
    async frames(tabId) {
      const results = await browser.scripting.executeScript({
        target: { tabId, allFrames: true },
        world: "ISOLATED",
        injectImmediately: true,
        // Runs in the frame's isolated world: the page cannot fake either value there.
        func: (mark: string) => ({ origin: location.origin, hasRelay: mark in globalThis }),
        args: [RELAY_MARK],
      });
      return results.flatMap((r) => {
        const v = r.result as { origin?: unknown; hasRelay?: unknown } | undefined;
        return v && typeof v.origin === "string" ? [{ tabId, frameId: r.frameId, origin: v.origin, hasRelay: v.hasRelay === true }] : [];
      });
    },
    async inject(tabId, frameId, file, world) {
      await browser.scripting.executeScript({ target: { tabId, frameIds: [frameId] }, files: [file], world, injectImmediately: true });
    },
  };
}
