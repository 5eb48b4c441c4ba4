import { describe, expect, it } from "vitest";
import { recordEvents } from "../../e2e/support/unit/event-recorder.js";
import { guardSignInWindows, SIGN_IN_WINDOW_KEY, type RecordArea, type WindowPorts } from "./orphaned-sign-in-window.js";

function memoryArea(): RecordArea & { data: Record<string, unknown> } {
  const data: Record<string, unknown> = {};
  return {
    data,
    get: async (key) => (key in data ? { [key]: data[key] } : {}),
    set: async (items) => void Object.assign(data, items),
    remove: async (key) => void delete data[key],
  };
}

/** A fake browser: one auth flow at a time, like Chrome; a flow's window closing ends it as cancelled. */
function fakeBrowser() {
  let nextId = 100;
  const open = new Set<number>();
  const listeners = new Set<(id: number) => void>();
  let flowWindow: number | undefined;
  let endFlow: ((url: string | undefined, error?: Error) => void) | undefined;
  const windows: WindowPorts = {
    watchPopups(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close(id) {
      if (!open.delete(id)) return false;
      if (id === flowWindow) {
        flowWindow = undefined;
        endFlow?.(undefined, new Error("The user did not approve access."));
      }
      return true;
    },
  };
  const launch = (details: chrome.identity.WebAuthFlowDetails) =>
    new Promise<string | undefined>((resolve, reject) => {
      if (!details.interactive) return resolve("https://x.chromiumapp.org/#silent");
      if (flowWindow !== undefined) return reject(new Error("Only one web auth flow is allowed at a time."));
      flowWindow = nextId++;
      open.add(flowWindow);
      endFlow = (url, error) => (error ? reject(error) : resolve(url));
      for (const l of listeners) l(flowWindow);
    });
  const finishSignIn = () => {
    const id = flowWindow!;
    flowWindow = undefined;
    open.delete(id);
    endFlow?.("https://x.chromiumapp.org/#code=c");
  };
  return { windows, launch, open, finishSignIn, flowOpen: () => flowWindow !== undefined };
}

const interactive = { url: "https://idp/authorize", interactive: true };

describe("guardSignInWindows", () => {
  it("a later worker closes the window a killed worker left open, then opens its own", async () => {
    const area = memoryArea();
    const browser = fakeBrowser();
    const events = recordEvents();
    // Worker A opens the window and dies: nobody is left to receive its launch's outcome.
    guardSignInWindows(browser.launch, area, browser.windows, "worker-a", events.emitter)(interactive).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 0));
    expect(area.data[SIGN_IN_WINDOW_KEY]).toEqual({ windowId: 100, workerId: "worker-a" });
    // Unguarded, worker B's launch is refused (what the user saw: no window, "cancelled").
    await expect(browser.launch(interactive)).rejects.toThrow(/Only one web auth flow/);

    const launchB = guardSignInWindows(browser.launch, area, browser.windows, "worker-b", events.emitter);
    const signedIn = launchB(interactive);
    await new Promise((r) => setTimeout(r, 0));
    expect(browser.open.has(100)).toBe(false);
    expect(browser.flowOpen()).toBe(true);
    browser.finishSignIn();
    expect(await signedIn).toBe("https://x.chromiumapp.org/#code=c");
    expect(area.data[SIGN_IN_WINDOW_KEY]).toBeUndefined();
    expect(events.types()).toEqual(["identity.orphaned_window_closed"]);
  });

  it("leaves silent flows alone and clears its own record when its flow ends", async () => {
    const area = memoryArea();
    const browser = fakeBrowser();
    const launch = guardSignInWindows(browser.launch, area, browser.windows, "w", () => undefined);
    expect(await launch({ url: "u", interactive: false })).toContain("silent");
    expect(area.data).toEqual({});
    const flow = launch(interactive);
    await new Promise((r) => setTimeout(r, 0));
    expect(area.data[SIGN_IN_WINDOW_KEY]).toEqual({ windowId: 100, workerId: "w" });
    await browser.windows.close(100); // the user closes the window
    await expect(flow).rejects.toThrow(/did not approve/);
    expect(area.data[SIGN_IN_WINDOW_KEY]).toBeUndefined();
  });

  it("records the flow's window, not a page's popup opened while the user signs in", async () => {
    const area = memoryArea();
    const browser = fakeBrowser();
    let pagePopup: ((id: number) => void) | undefined;
    const windows: WindowPorts = {
      ...browser.windows,
      watchPopups(listener) {
        pagePopup = listener;
        return browser.windows.watchPopups(listener);
      },
    };
    const flow = guardSignInWindows(browser.launch, area, windows, "w", () => undefined)(interactive);
    await new Promise((r) => setTimeout(r, 0));
    pagePopup?.(555);
    await new Promise((r) => setTimeout(r, 0));
    expect(area.data[SIGN_IN_WINDOW_KEY]).toEqual({ windowId: 100, workerId: "w" });
    browser.finishSignIn();
    await flow;
  });

  it("a record whose window is already gone is dropped without an event", async () => {
    const area = memoryArea();
    area.data[SIGN_IN_WINDOW_KEY] = { windowId: 7, workerId: "old" };
    const browser = fakeBrowser();
    const events = recordEvents();
    const launch = guardSignInWindows(browser.launch, area, browser.windows, "new", events.emitter);
    const flow = launch(interactive);
    await new Promise((r) => setTimeout(r, 0));
    browser.finishSignIn();
    await flow;
    expect(events.list).toEqual([]);
    expect(area.data).toEqual({});
  });
});
