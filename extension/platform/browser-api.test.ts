import { afterEach, describe, expect, it, vi } from "vitest";
import { browser, currentEngine, matchPatternFor, onFirefox, webAuthFlowDetails } from "./browser-api.js";

afterEach(() => vi.unstubAllGlobals());

describe("the one cross-browser surface", () => {
  it("tells the engine by the extension's own base URL", () => {
    expect(onFirefox("moz-extension://0b7f3c1e-9d2a-4f6b-8e5c-7a1d2b3c4e5f/")).toBe(true);
    expect(onFirefox("chrome-extension://hocjdcgpkppfggihhckgjaaacbohlcng/")).toBe(false);
  });

  it("reads the API namespace at each use, so the engine is the one running now", () => {
    vi.stubGlobal("chrome", { runtime: { getURL: (path: string) => `moz-extension://uuid/${path}` } });
    expect(currentEngine()).toBe("firefox");
    expect(matchPatternFor("http://localhost:3000")).toBe("http://localhost/*");
    vi.stubGlobal("chrome", { runtime: { getURL: (path: string) => `chrome-extension://id/${path}` } });
    expect(browser.runtime.getURL("x")).toBe("chrome-extension://id/x");
    expect(currentEngine()).toBe("chromium");
    expect(matchPatternFor("http://localhost:3000")).toBe("http://localhost:3000/*");
  });

  it("passes Chromium's silent-flow options on Chromium only (Firefox refuses them)", () => {
    expect(webAuthFlowDetails("https://idp.test/a", false, "chromium", 5000)).toEqual({
      url: "https://idp.test/a",
      interactive: false,
      abortOnLoadForNonInteractive: true,
      timeoutMsForNonInteractive: 5000,
    });
    expect(webAuthFlowDetails("https://idp.test/a", false, "firefox")).toEqual({ url: "https://idp.test/a", interactive: false });
    expect(webAuthFlowDetails("https://idp.test/a", true, "chromium")).toEqual({ url: "https://idp.test/a", interactive: true });
  });
});
