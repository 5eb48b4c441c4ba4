import { describe, expect, it } from "vitest";
import { AuthShellError } from "../../shared/errors.js";
import { createIdentityAuthorizeFlow, mapWebAuthFlowError } from "./identity-flow.js";

const REDIRECT = "https://hocjdcgpkppfggihhckgjaaacbohlcng.chromiumapp.org/";

describe("identity flow over launchWebAuthFlow", () => {
  it("runs prompt=none without UI, bounded, and returns the redirect", async () => {
    const calls: chrome.identity.WebAuthFlowDetails[] = [];
    const flow = createIdentityAuthorizeFlow(async (details) => (calls.push(details), `${REDIRECT}#code=abc&state=s`));
    expect(await flow.run("https://idp.test/authorize?prompt=none", { interactive: false, redirectUri: REDIRECT })).toBe(`${REDIRECT}#code=abc&state=s`);
    expect(calls[0]).toMatchObject({ interactive: false, abortOnLoadForNonInteractive: true });
    expect(calls[0]!.timeoutMsForNonInteractive).toBeGreaterThan(0);
    await flow.run("https://idp.test/authorize", { interactive: true, redirectUri: REDIRECT });
    expect(calls[1]).toEqual({ url: "https://idp.test/authorize", interactive: true });
  });

  it("maps browser errors to AuthShellError codes", () => {
    expect(mapWebAuthFlowError(new Error("The user did not approve access."), true).code).toBe("user_cancelled");
    expect(mapWebAuthFlowError(new Error("The user did not approve access."), false).code).toBe("interaction_required");
    expect(mapWebAuthFlowError(new Error("User interaction required."), false).code).toBe("interaction_required");
    // Silently, Chrome's "could not be loaded" also covers a 429/5xx page: the IdP, not the network.
    expect(mapWebAuthFlowError(new Error("Authorization page could not be loaded."), false).code).toBe("idp_unavailable");
    expect(mapWebAuthFlowError(new Error("Authorization page could not be loaded."), true).code).toBe("network_error");
    expect(mapWebAuthFlowError(new Error("Authorization flow timed out"), false).code).toBe("timeout");
  });

  it("rejects with an AuthShellError when the flow fails or lands elsewhere", async () => {
    const failing = createIdentityAuthorizeFlow(async () => {
      throw new Error("User interaction required.");
    });
    await expect(failing.run("https://idp.test/a", { interactive: false, redirectUri: REDIRECT })).rejects.toMatchObject({ code: "interaction_required" });
    const elsewhere = createIdentityAuthorizeFlow(async () => "https://evil.test/#code=x");
    const error = await elsewhere.run("https://idp.test/a", { interactive: true, redirectUri: REDIRECT }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthShellError);
    expect((error as AuthShellError).code).toBe("invalid_response");
  });
});
