import { describe, expect, it } from "vitest";
import { AuthShellError } from "../errors.js";
import { createHarness, rejection } from "./broker-harness.test-support.js";

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
