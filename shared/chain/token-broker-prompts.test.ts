import { describe, expect, it } from "vitest";
import { AuthShellError } from "../errors.js";
import { HOUR, createHarness, invalidGrant, rejection, signedIn } from "./broker-harness.test-support.js";

const silentCalls = (h: ReturnType<typeof createHarness>) => h.idp.authorizeCalls.filter((c) => !c.interactive).length;
const windows = (h: ReturnType<typeof createHarness>) => h.idp.authorizeCalls.filter((c) => c.interactive).length;

describe("token broker: the silent step is held back after it failed", () => {
  it("remembers a 'no session' answer: signed-out polling sends one prompt=none, not one per ask", async () => {
    const h = createHarness();
    h.idp.hasSession = false;
    for (let i = 0; i < 20; i++) {
      const e = await rejection(h.broker.acquireToken({ scopes: ["User.Read"], allowInteraction: false }));
      expect(e.code).toBe("interaction_required");
      await h.clock.advance(1000);
    }
    expect(silentCalls(h)).toBe(1);
    // Not for ever: after the remembered window the IdP is asked once more, then the window doubles.
    await h.clock.advance(60_000);
    await rejection(h.broker.acquireToken({ scopes: ["User.Read"], allowInteraction: false }));
    await rejection(h.broker.acquireToken({ scopes: ["User.Read"], allowInteraction: false }));
    expect(silentCalls(h)).toBe(2);
  });

  it("backs off a failed silent authorize (first retry ≥ 5 s, then growing) and tells the caller the wait", async () => {
    const h = createHarness();
    h.idp.silentFailure = new AuthShellError("network_error", "The sign-in page could not be loaded", { retryable: true });
    const first = await rejection(h.broker.acquireToken({ scopes: ["User.Read"], allowInteraction: false }));
    expect(first.code).toBe("network_error");
    const held = await rejection(h.broker.acquireToken({ scopes: ["User.Read"], allowInteraction: false }));
    expect(held.code).toBe("network_error");
    expect(held.retryable).toBe(true);
    expect(held.retryAfterMs).toBe(5000);
    expect(silentCalls(h)).toBe(1);
    await h.clock.advance(4999);
    await rejection(h.broker.acquireToken({ scopes: ["User.Read"], allowInteraction: false }));
    expect(silentCalls(h)).toBe(1);
    await h.clock.advance(1);
    await rejection(h.broker.acquireToken({ scopes: ["User.Read"], allowInteraction: false }));
    expect(silentCalls(h)).toBe(2);
    const second = await rejection(h.broker.acquireToken({ scopes: ["User.Read"], allowInteraction: false }));
    expect(second.retryAfterMs).toBe(10_000);
  });

  it("a failed silent step still lets a prompt through when the caller allows one", async () => {
    const h = createHarness();
    h.idp.silentFailure = new AuthShellError("network_error", "The sign-in page could not be loaded", { retryable: true });
    await rejection(h.broker.acquireToken({ scopes: ["User.Read"], allowInteraction: false }));
    const r = await h.broker.acquireToken({ scopes: ["User.Read"], allowInteraction: true });
    expect(r.source).toBe("interactive");
    expect(silentCalls(h)).toBe(1);
  });

  it("a sign-in voids the remembered answers: RT expiry then falls back to prompt=none at once", async () => {
    const h = createHarness();
    h.idp.hasSession = false;
    await rejection(h.broker.acquireToken({ scopes: ["User.Read"], allowInteraction: false }));
    await h.broker.acquireToken({ scopes: ["User.Read"], allowInteraction: true });
    await h.clock.advance(HOUR);
    h.idp.faults.push(invalidGrant());
    const r = await h.broker.acquireToken({ scopes: ["User.Read"], allowInteraction: false });
    expect(r.source).toBe("silent_authorize");
  });

  it("survives a restart of the worker: the remembered answer is persisted", async () => {
    const h = createHarness();
    h.idp.hasSession = false;
    await rejection(h.broker.acquireToken({ scopes: ["User.Read"], allowInteraction: false }));
    const restarted = h.restart();
    await rejection(restarted.acquireToken({ scopes: ["User.Read"], allowInteraction: false }));
    expect(silentCalls(h)).toBe(1);
  });
});

describe("token broker: the silent step's memory cannot cost a token", () => {
  it("a store that refuses to forget the remembered answer still hands out the token the silent step got", async () => {
    const h = createHarness();
    h.idp.hasSession = false;
    await rejection(h.broker.acquireToken({ scopes: ["User.Read"], allowInteraction: false }));
    h.store.delete = async () => {
      throw new Error("InvalidStateError");
    };
    await h.clock.advance(60_000);
    h.idp.hasSession = true;
    const r = await h.broker.acquireToken({ scopes: ["User.Read"], allowInteraction: false });
    expect(r.source).toBe("silent_authorize");
    expect(h.events.filter((e) => e.type === "storage.write_failed")).toHaveLength(1);
  });
});

describe("token broker: forced refreshes", () => {
  it("a page forcing refreshes back to back: 3 grants per 15 s, then the young token", async () => {
    const h = await signedIn();
    await h.clock.advance(HOUR);
    const sources = [];
    for (let i = 0; i < 40; i++) {
      const r = await h.broker.acquireToken({ scopes: ["User.Read"], allowInteraction: false, forceRefresh: true });
      sources.push(r.source);
      await h.clock.advance(10);
    }
    expect(sources.slice(0, 3)).toEqual(["refresh_token", "refresh_token", "refresh_token"]);
    expect(new Set(sources.slice(3))).toEqual(new Set(["cache"]));
    expect(h.idp.tokenRequests("refresh_token")).toHaveLength(3);
    await h.clock.advance(15_000);
    const later = await h.broker.acquireToken({ scopes: ["User.Read"], allowInteraction: false, forceRefresh: true });
    expect(later.source).toBe("refresh_token");
    expect(h.idp.tokenRequests("refresh_token")).toHaveLength(4);
  });

  it("a claims challenge is never answered from the cache, however young the token", async () => {
    const h = await signedIn();
    const claims = JSON.stringify({ access_token: { nbf: { essential: true, value: "1700000000" } } });
    const r = await h.broker.acquireToken({ scopes: ["User.Read"], allowInteraction: false, claims });
    expect(r.source).toBe("refresh_token");
  });
});

describe("token broker: one sign-in window at a time", () => {
  it("two resources asking at once with no account: one window, the second served silently from it", async () => {
    const h = createHarness();
    h.idp.hasSession = false;
    let release!: () => void;
    h.idp.interactiveHold = new Promise<void>((r) => (release = r));
    const a = h.broker.acquireToken({ scopes: ["User.Read"], allowInteraction: true });
    const b = h.broker.acquireToken({ scopes: ["api://demo/Data.Read"], allowInteraction: true });
    await h.clock.advance(0);
    release();
    const [ra, rb] = await Promise.all([a, b]);
    expect(windows(h)).toBe(1);
    expect(ra.source).toBe("interactive");
    expect(rb.source).toBe("refresh_token");
    expect(rb.scopes).toContain("api://demo/data.read");
  });

  it("the window is closed: every waiting request is told so, and no second window opens", async () => {
    const h = createHarness();
    h.idp.hasSession = false;
    h.idp.interactive = "cancel";
    let release!: () => void;
    h.idp.interactiveHold = new Promise<void>((r) => (release = r));
    const a = rejection(h.broker.acquireToken({ scopes: ["User.Read"], allowInteraction: true }));
    const b = rejection(h.broker.acquireToken({ scopes: ["api://demo/Data.Read"], allowInteraction: true }));
    await h.clock.advance(0);
    release();
    const [ea, eb] = await Promise.all([a, b]);
    expect(ea.code).toBe("user_cancelled");
    expect(eb.code).toBe("user_cancelled");
    expect(eb.message).toMatch(/another request/);
    expect(windows(h)).toBe(1);
  });

  it("a person's click opens the window even during the cool-down that stops an app's popup loop", async () => {
    const h = createHarness();
    h.idp.hasSession = false;
    h.idp.interactive = "cancel";
    await rejection(h.broker.acquireToken({ scopes: ["User.Read"], allowInteraction: true }));
    const looped = await rejection(h.broker.acquireToken({ scopes: ["User.Read"], allowInteraction: true }));
    expect(looped.code).toBe("interaction_cooldown");
    expect(windows(h)).toBe(1);
    h.idp.interactive = "sign_in";
    const clicked = await h.broker.acquireToken({ scopes: ["User.Read"], allowInteraction: true, userInitiated: true });
    expect(clicked.source).toBe("interactive");
    expect(windows(h)).toBe(2);
    // The looping app's silent asks never reached the IdP more than once.
    expect(silentCalls(h)).toBe(1);
  });

  it.each([
    ["a click", { userInitiated: true }],
    ["the looping app's own first call", { appInitiated: true }],
  ])("after the user closed the window (opened by %s), an app's own popup request never reopens it — not after the cool-down either — until a person does", async (_, opener) => {
    const h = createHarness();
    h.idp.hasSession = false;
    h.idp.interactive = "cancel";
    await rejection(h.broker.acquireToken({ scopes: ["User.Read"], allowInteraction: true, ...opener }));
    expect(windows(h)).toBe(1);
    const app = { scopes: ["User.Read"], allowInteraction: true, appInitiated: true };
    // An app looping once a second for 3 minutes, well past the 10 s cool-down and its doubling.
    for (let i = 0; i < 180; i++) {
      const looped = await rejection(h.broker.acquireToken(app));
      expect(looped.code).toBe("interaction_cooldown");
      await h.clock.advance(1000);
    }
    expect(windows(h)).toBe(1);
    // A person's click opens it; once signed in, an app's own request may open a window again later.
    h.idp.interactive = "sign_in";
    expect((await h.broker.acquireToken({ scopes: ["User.Read"], allowInteraction: true, userInitiated: true })).source).toBe("interactive");
    expect(windows(h)).toBe(2);
    expect((await h.broker.acquireToken({ ...app, scopes: ["Mail.Read"], selectAccount: true })).source).toBe("interactive");
    expect(windows(h)).toBe(3);
  });

  it("after a window that failed (not closed by the user), an app's own retry waits out the cool-down only", async () => {
    const h = createHarness();
    let fail = true;
    const run = h.idp.flow.run;
    h.idp.flow.run = (url, options) =>
      options.interactive && fail ? Promise.reject(new AuthShellError("network_error", "The sign-in page could not be loaded", { retryable: true })) : run(url, options);
    // selectAccount: straight to the window (the IdP session would otherwise answer prompt=none).
    const app = { scopes: ["User.Read"], allowInteraction: true, appInitiated: true, selectAccount: true };
    expect((await rejection(h.broker.acquireToken(app))).code).toBe("network_error");
    expect((await rejection(h.broker.acquireToken(app))).code).toBe("interaction_cooldown");
    fail = false;
    await h.clock.advance(10_000);
    expect((await h.broker.acquireToken(app)).source).toBe("interactive");
  });
});
