import { describe, expect, it } from "vitest";
import { AuthShellError } from "../../shared/errors.js";
import type { ProbeVerdict } from "./authorize-probe.js";
import { createIdentityAuthorizeFlow, mapWebAuthFlowError } from "./identity-flow.js";

const REDIRECT = "https://hocjdcgpkppfggihhckgjaaacbohlcng.chromiumapp.org/";
const failWith = (message: string) => async () => Promise.reject(new Error(message));

/** A probe that answers `verdict` and counts its calls. */
function probeAnswering(verdict: ProbeVerdict) {
  const calls: string[] = [];
  return { calls, probe: async (url: string) => (calls.push(url), verdict) };
}

async function silentError(flow: ReturnType<typeof createIdentityAuthorizeFlow>): Promise<AuthShellError> {
  const error = await flow.run("https://idp.test/authorize?prompt=none", { interactive: false, redirectUri: REDIRECT }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(AuthShellError);
  return error as AuthShellError;
}

describe("identity flow over launchWebAuthFlow", () => {
  it("Chromium: runs prompt=none without UI, bounded, and returns the redirect", async () => {
    const calls: chrome.identity.WebAuthFlowDetails[] = [];
    const flow = createIdentityAuthorizeFlow({ engine: "chromium", launch: async (details) => (calls.push(details), `${REDIRECT}#code=abc&state=s`) });
    expect(await flow.run("https://idp.test/authorize?prompt=none", { interactive: false, redirectUri: REDIRECT })).toBe(`${REDIRECT}#code=abc&state=s`);
    expect(calls[0]).toMatchObject({ interactive: false, abortOnLoadForNonInteractive: true });
    expect(calls[0]!.timeoutMsForNonInteractive).toBeGreaterThan(0);
    await flow.run("https://idp.test/authorize", { interactive: true, redirectUri: REDIRECT });
    expect(calls[1]).toEqual({ url: "https://idp.test/authorize", interactive: true });
  });

  it("Firefox: passes none of Chromium's silent-flow options, which it refuses ('Unexpected properties')", async () => {
    const calls: chrome.identity.WebAuthFlowDetails[] = [];
    const flow = createIdentityAuthorizeFlow({ engine: "firefox", launch: async (details) => (calls.push(details), `${REDIRECT}#code=abc&state=s`) });
    await flow.run("https://idp.test/authorize?prompt=none", { interactive: false, redirectUri: REDIRECT });
    expect(calls[0]).toEqual({ url: "https://idp.test/authorize?prompt=none", interactive: false });
  });

  it("maps browser errors to AuthShellError codes", () => {
    expect(mapWebAuthFlowError(new Error("The user did not approve access."), true).code).toBe("user_cancelled");
    expect(mapWebAuthFlowError(new Error("The user did not approve access."), false).code).toBe("interaction_required");
    expect(mapWebAuthFlowError(new Error("User interaction required."), false).code).toBe("interaction_required");
    // Silently, Chrome's "could not be loaded" also covers a 429/5xx page: the IdP, not the network.
    expect(mapWebAuthFlowError(new Error("Authorization page could not be loaded."), false).code).toBe("idp_unavailable");
    expect(mapWebAuthFlowError(new Error("Authorization page could not be loaded."), true).code).toBe("network_error");
    expect(mapWebAuthFlowError(new Error("Authorization flow timed out"), false).code).toBe("timeout");
    // Firefox's texts.
    expect(mapWebAuthFlowError(new Error("Requires user interaction"), false).code).toBe("interaction_required");
    expect(mapWebAuthFlowError(new Error("User cancelled or denied access."), true).code).toBe("user_cancelled");
  });

  it("files Firefox's refusal of an unknown option as a bug, not a retryable timeout (its text names timeoutMsForNonInteractive)", () => {
    const refusal = new Error("Type error for parameter details (Error processing timeoutMsForNonInteractive: An unexpected property was found in the WebExtension schema.) for identity.launchWebAuthFlow.");
    const mapped = mapWebAuthFlowError(refusal, false);
    expect(mapped.code).toBe("internal_error");
    expect(mapped.retryable).toBe(false);
  });

  it("rejects with an AuthShellError when the flow fails or lands elsewhere", async () => {
    const failing = createIdentityAuthorizeFlow({ engine: "chromium", launch: failWith("User interaction required.") });
    await expect(failing.run("https://idp.test/a", { interactive: false, redirectUri: REDIRECT })).rejects.toMatchObject({ code: "interaction_required" });
    const elsewhere = createIdentityAuthorizeFlow({ engine: "chromium", launch: async () => "https://evil.test/#code=x" });
    const error = await elsewhere.run("https://idp.test/a", { interactive: true, redirectUri: REDIRECT }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthShellError);
    expect((error as AuthShellError).code).toBe("invalid_response");
  });
});

describe("a failed silent flow, told apart by one cookie-less probe of the authorize URL", () => {
  it("Firefox: 'Requires user interaction' for a 429 is throttled with the probe's Retry-After", async () => {
    const { probe, calls } = probeAnswering({ kind: "throttled", retryAfterMs: 20_000 });
    const error = await silentError(createIdentityAuthorizeFlow({ engine: "firefox", launch: failWith("Requires user interaction"), probe }));
    expect(error).toMatchObject({ code: "throttled", retryable: true, retryAfterMs: 20_000 });
    expect(calls).toEqual(["https://idp.test/authorize?prompt=none"]);
  });

  it("Firefox: for a 5xx or no answer it is idp_unavailable (the backoff's), never interaction_required", async () => {
    for (const verdict of [{ kind: "unavailable", status: 503 }, { kind: "unavailable" }] as const) {
      const { probe } = probeAnswering(verdict);
      const error = await silentError(createIdentityAuthorizeFlow({ engine: "firefox", launch: failWith("Requires user interaction"), probe }));
      expect(error).toMatchObject({ code: "idp_unavailable", retryable: true });
    }
  });

  it("Firefox: when the IdP answers (or could not be asked), the interaction requirement is real", async () => {
    for (const verdict of [{ kind: "answers" }, { kind: "not_probed" }] as const) {
      const { probe } = probeAnswering(verdict);
      const error = await silentError(createIdentityAuthorizeFlow({ engine: "firefox", launch: failWith("Requires user interaction"), probe }));
      expect(error.code).toBe("interaction_required");
    }
  });

  it("Chromium: 'could not be loaded' learns the 429's Retry-After that launchWebAuthFlow hides; a real 'interaction required' is not probed", async () => {
    const throttled = probeAnswering({ kind: "throttled", retryAfterMs: 20_000 });
    const hidden = await silentError(createIdentityAuthorizeFlow({ engine: "chromium", launch: failWith("Authorization page could not be loaded."), probe: throttled.probe }));
    expect(hidden).toMatchObject({ code: "throttled", retryAfterMs: 20_000 });
    const answers = probeAnswering({ kind: "answers" });
    const stillDown = await silentError(createIdentityAuthorizeFlow({ engine: "chromium", launch: failWith("Authorization page could not be loaded."), probe: answers.probe }));
    expect(stillDown.code).toBe("idp_unavailable");
    const unused = probeAnswering({ kind: "throttled", retryAfterMs: 1 });
    const real = await silentError(createIdentityAuthorizeFlow({ engine: "chromium", launch: failWith("User interaction required."), probe: unused.probe }));
    expect(real.code).toBe("interaction_required");
    expect(unused.calls).toEqual([]);
  });

  it("never probes after an interactive flow (a closed window is the person's answer)", async () => {
    const { probe, calls } = probeAnswering({ kind: "throttled", retryAfterMs: 1 });
    const flow = createIdentityAuthorizeFlow({ engine: "firefox", launch: failWith("User cancelled or denied access."), probe });
    await expect(flow.run("https://idp.test/a", { interactive: true, redirectUri: REDIRECT })).rejects.toMatchObject({ code: "user_cancelled" });
    expect(calls).toEqual([]);
  });
});
