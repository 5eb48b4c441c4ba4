import { describe, expect, it } from "vitest";
import type { AuthenticationResult, IPublicClientApplication, PopupRequest } from "@azure/msal-browser";
import { AuthShellError } from "../../../shared/errors.js";
import { FakeClock } from "../../../e2e/support/unit/fake-clock.js";
import { PopupSignIn, SIGN_IN_WINDOW_TIMEOUT_MS } from "./popup-sign-in.js";

/** A fake MSAL whose popup sign-in opens a window through the given parent and then waits, like MSAL 5's bridge wait. */
function fakeMsal() {
  const popup = {
    closed: false,
    close() {
      popup.closed = true;
    },
  };
  const requests: PopupRequest[] = [];
  let finish: (result: AuthenticationResult) => void = () => undefined;
  const pca = {
    acquireTokenPopup(request: PopupRequest) {
      requests.push(request);
      (request.popupWindowParent ?? ({} as Window)).open("https://login.test/authorize", "msal");
      return new Promise<AuthenticationResult>((resolve) => (finish = resolve));
    },
  } as unknown as IPublicClientApplication;
  return { pca, popup, requests, finish: (r: AuthenticationResult) => finish(r) };
}

function harness() {
  const clock = new FakeClock();
  const msal = fakeMsal();
  let posts = 0;
  const settledLate: unknown[] = [];
  const parentWindow = { open: () => msal.popup, innerWidth: 1024 } as unknown as Window;
  const signIn = new PopupSignIn({ clock, postCount: () => posts, onAbandonedSettled: (e) => settledLate.push(e), parentWindow });
  return { clock, msal, signIn, post: () => posts++, settledLate };
}

async function outcome<T>(clock: FakeClock, promise: Promise<T>, steps = 20): Promise<{ value?: T; error?: unknown } | undefined> {
  let result: { value?: T; error?: unknown } | undefined;
  promise.then((value) => (result = { value }), (error: unknown) => (result = { error }));
  for (let i = 0; i < steps && !result; i++) await clock.advance(500);
  return result;
}

describe("PopupSignIn", () => {
  it("answers user_cancelled soon after the user closes the sign-in window, though MSAL still waits", async () => {
    const h = harness();
    const run = h.signIn.run(h.msal.pca, { scopes: ["User.Read"] });
    expect(await outcome(h.clock, run, 4)).toBeUndefined(); // window open: still signing in
    h.msal.popup.closed = true;
    const result = await outcome(h.clock, run);
    expect(result?.error).toBeInstanceOf(AuthShellError);
    expect((result?.error as AuthShellError).code).toBe("user_cancelled");
  });

  it("does not cancel a sign-in whose window closed because it finished (a token request followed)", async () => {
    const h = harness();
    const run = h.signIn.run(h.msal.pca, { scopes: ["User.Read"] });
    h.msal.popup.closed = true;
    h.post(); // MSAL redeems the code right after the redirect page handed it over
    expect(await outcome(h.clock, run, 10)).toBeUndefined();
    h.msal.finish({ accessToken: "t" } as AuthenticationResult);
    expect((await outcome(h.clock, run))?.value).toEqual({ accessToken: "t" });
  });

  it("overrides the abandoned sign-in's interaction lock on the next attempt", async () => {
    const h = harness();
    const first = h.signIn.run(h.msal.pca, { scopes: ["User.Read"] });
    h.msal.popup.closed = true;
    await outcome(h.clock, first);
    h.msal.popup.closed = false;
    void h.signIn.run(h.msal.pca, { scopes: ["User.Read"] }).catch(() => undefined);
    expect(h.msal.requests[0]?.overrideInteractionInProgress).toBeUndefined();
    expect(h.msal.requests[1]?.overrideInteractionInProgress).toBe(true);
  });

  it("a window left open ends as sign_in_timeout after SIGN_IN_WINDOW_TIMEOUT_MS, and the shell closes it", async () => {
    const h = harness();
    const run = h.signIn.run(h.msal.pca, { scopes: ["User.Read"] });
    let result: { error?: unknown } | undefined;
    run.catch((error: unknown) => (result = { error }));
    await h.clock.advance(SIGN_IN_WINDOW_TIMEOUT_MS - 1_000);
    expect(result).toBeUndefined(); // still within the time a user may take (MFA, a password reset)
    await h.clock.advance(1_000);
    await Promise.resolve();
    expect((result?.error as AuthShellError | undefined)?.code).toBe("sign_in_timeout");
    expect(h.msal.popup.closed).toBe(true);
    // The abandoned MSAL call keeps its interaction lock: the next sign-in overrides it.
    void h.signIn.run(h.msal.pca, { scopes: ["User.Read"] }).catch(() => undefined);
    expect(h.msal.requests[1]?.overrideInteractionInProgress).toBe(true);
  });

  it("does not time out a sign-in that is finishing when the time runs out (its code is being redeemed)", async () => {
    const h = harness();
    const run = h.signIn.run(h.msal.pca, { scopes: ["User.Read"] });
    let settled = false;
    run.then(() => (settled = true), () => (settled = true));
    await h.clock.advance(SIGN_IN_WINDOW_TIMEOUT_MS - 1_000);
    h.post(); // the user submitted; MSAL redeems the code
    await h.clock.advance(1_000);
    await Promise.resolve();
    expect(settled).toBe(false);
    expect(h.msal.popup.closed).toBe(false);
    h.msal.finish({ accessToken: "t" } as AuthenticationResult);
    expect(await run).toEqual({ accessToken: "t" });
  });
});
