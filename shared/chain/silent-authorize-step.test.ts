import { describe, expect, it } from "vitest";
import { AuthShellError } from "../errors.js";
import { createHarness, rejection, TENANT } from "./broker-harness.test-support.js";

describe("silent authorize step: the caller that meets the failure", () => {
  it("is told the backoff's wait at once, as every caller held back after it is", async () => {
    const h = createHarness();
    // What the extension's AuthorizeFlow throws for a 429 / 5xx / unreachable sign-in page.
    h.idp.silentFailure = new AuthShellError("idp_unavailable", "The sign-in page could not be loaded", { retryable: true });
    const first = await rejection(h.broker.acquireToken({ scopes: ["User.Read"], allowInteraction: false }));
    expect(first.code).toBe("idp_unavailable");
    expect(first.retryable).toBe(true);
    expect(first.retryAfterMs).toBe(5000);
    await h.clock.advance(5000);
    const second = await rejection(h.broker.acquireToken({ scopes: ["User.Read"], allowInteraction: false }));
    expect(second.retryAfterMs).toBe(10_000);
    expect(h.idp.authorizeCalls.filter((c) => !c.interactive)).toHaveLength(2);
  });

  it("a failure that already carries a wait keeps it", async () => {
    const h = createHarness();
    h.idp.silentFailure = new AuthShellError("idp_unavailable", "down", { retryable: true, retryAfterMs: 42_000 });
    const first = await rejection(h.broker.acquireToken({ scopes: ["User.Read"], allowInteraction: false }));
    expect(first.retryAfterMs).toBe(42_000);
  });
});

describe("silent authorize step: a 429 on /authorize whose Retry-After the AuthorizeFlow learnt", () => {
  // What the extension's AuthorizeFlow throws when its probe of /authorize met a 429 (identity-flow.ts).
  const throttled = () => new AuthShellError("throttled", "The sign-in endpoint answered 429", { retryable: true, retryAfterMs: 20_000 });

  it("sends no flow inside the Retry-After, opens no window for it, and the first ask after it gets the token", async () => {
    const h = createHarness();
    h.idp.silentFailure = throttled();
    const first = await rejection(h.broker.acquireToken({ scopes: ["User.Read"], allowInteraction: false }));
    expect(first).toMatchObject({ code: "throttled", retryable: true, retryAfterMs: 20_000 });
    // Inside the silent backoff's first 5 s, callers are told the Retry-After's wait, not the backoff's.
    await h.clock.advance(1_000);
    expect(await rejection(h.broker.acquireToken({ scopes: ["User.Read"], allowInteraction: false }))).toMatchObject({ code: "throttled", retryAfterMs: 19_000 });
    // Past the silent backoff's 5 s but inside Retry-After: nothing goes out, not even a window.
    await h.clock.advance(5_000);
    for (const allowInteraction of [false, true]) {
      const held = await rejection(h.broker.acquireToken({ scopes: ["User.Read"], allowInteraction }));
      expect(held).toMatchObject({ code: "throttled", retryable: true, retryAfterMs: 14_000 });
    }
    expect(h.idp.authorizeCalls).toHaveLength(1);
    await h.clock.advance(14_000);
    h.idp.silentFailure = undefined;
    const token = await h.broker.acquireToken({ scopes: ["User.Read"], allowInteraction: false });
    expect(token.source).toBe("silent_authorize");
    expect(h.idp.authorizeCalls).toHaveLength(2);
  });

  it("is never remembered as 'no session': the account is not told to sign in again", async () => {
    const h = createHarness();
    h.idp.silentFailure = throttled();
    await rejection(h.broker.acquireToken({ scopes: ["User.Read"], allowInteraction: false }));
    const { silent, gates } = await h.broker.status();
    expect(silent?.map((r) => r.kind)).not.toContain("no_session");
    expect(gates.map((g) => g.key)).toEqual([`idp:idp.test/${TENANT}/authorize`]);
  });
});
