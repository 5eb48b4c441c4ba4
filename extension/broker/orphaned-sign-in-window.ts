/**
 * A sign-in window outlives the worker that opened it: Chrome keeps the launchWebAuthFlow window
 * (and its flow) open when the service worker dies, but the promise that would receive the redirect
 * died with the worker. Until that window is closed, Chrome refuses every new flow ("Only one web
 * auth flow is allowed at a time"), which the next worker would report as a cancellation — the user
 * clicks Sign in and nothing opens. So each interactive launch records the popup window it opened
 * (chrome.storage.session: per browser session), and the first interactive launch of a later worker
 * closes a window recorded by an earlier one before it opens its own.
 */
import { AuthShellError } from "../../shared/errors.js";
import type { Emit, ExtensionEventType } from "../../shared/events.js";
import { browser } from "../platform/browser-api.js";

type LaunchWebAuthFlow = (details: chrome.identity.WebAuthFlowDetails) => Promise<string | undefined>;

export const SIGN_IN_WINDOW_KEY = "signInWindow";

interface SignInWindowRecord {
  windowId: number;
  workerId: string;
}

export interface WindowPorts {
  /** Calls back with the id of each popup-type window created until the returned function is called. */
  watchPopups(listener: (windowId: number) => void): () => void;
  /** Closes the window; resolves false when it no longer exists. */
  close(windowId: number): Promise<boolean>;
}

export interface RecordArea {
  get(key: string): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(key: string): Promise<void>;
}

function isRecord(value: unknown): value is SignInWindowRecord {
  const v = value as Partial<SignInWindowRecord> | undefined;
  return typeof v === "object" && v !== null && typeof v.windowId === "number" && typeof v.workerId === "string";
}

/** Wraps launchWebAuthFlow: interactive launches close an earlier worker's orphaned window first and record their own. */
export function guardSignInWindows(launch: LaunchWebAuthFlow, area: RecordArea, windows: WindowPorts, workerId: string, emit: Emit<ExtensionEventType>): LaunchWebAuthFlow {
  let checked: Promise<void> | undefined;
  const fail = (what: string, error: unknown) =>
    emit("identity.window_record_failed", `${what}: ${AuthShellError.from(error).message}`);

  async function closeOrphaned(): Promise<void> {
    const stored = (await area.get(SIGN_IN_WINDOW_KEY))[SIGN_IN_WINDOW_KEY];
    if (!isRecord(stored) || stored.workerId === workerId) return;
    const closed = await windows.close(stored.windowId);
    await area.remove(SIGN_IN_WINDOW_KEY);
    if (closed) emit("identity.orphaned_window_closed", "Closed a sign-in window left open by a stopped worker");
  }

  return async (details) => {
    if (!details.interactive) return launch(details);
    checked ??= closeOrphaned().catch((error: unknown) => fail("Could not close an earlier sign-in window", error));
    await checked;
    // The first popup window after the launch is the flow's; a page's own popup opened later while
    // the user signs in must not be taken for it (a later worker would close it).
    let recorded = false;
    const stop = windows.watchPopups((windowId) => {
      if (recorded) return;
      recorded = true;
      area.set({ [SIGN_IN_WINDOW_KEY]: { windowId, workerId } satisfies SignInWindowRecord }).catch((error: unknown) => fail("Could not record the sign-in window", error));
    });
    try {
      return await launch(details);
    } finally {
      stop();
      await area.remove(SIGN_IN_WINDOW_KEY).catch((error: unknown) => fail("Could not clear the sign-in window record", error));
    }
  };
}

/** WindowPorts on chrome.windows (no permission needed to see window types or close a window). */
export function chromeWindowPorts(): WindowPorts {
  return {
    watchPopups(listener) {
      const onCreated = (w: chrome.windows.Window) => {
        if (w.type === "popup" && typeof w.id === "number") listener(w.id);
      };
      browser.windows.onCreated.addListener(onCreated);
      return () => browser.windows.onCreated.removeListener(onCreated);
    },
    async close(windowId) {
      try {
        await browser.windows.remove(windowId);
        return true;
      } catch (error) {
        if (/no window with id/i.test(error instanceof Error ? error.message : String(error))) return false;
        throw error;
      }
    },
  };
}
