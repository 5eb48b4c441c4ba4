import { describe, expect, it } from "vitest";
import { HOUR, signedIn } from "./broker-harness.test-support.js";

describe("token broker: single-flight and rotation", () => {
  it("10 concurrent callers make 1 refresh request and get the same token", async () => {
    const h = await signedIn();
    await h.clock.advance(HOUR);
    const results = await Promise.all(
      Array.from({ length: 10 }, () => h.broker.acquireToken({ scopes: ["User.Read"], allowInteraction: false })),
    );
    expect(h.idp.tokenRequests("refresh_token")).toHaveLength(1);
    expect(new Set(results.map((r) => r.accessToken)).size).toBe(1);
  });

  it("two callers with different scopes never redeem the same refresh token (rotation race)", async () => {
    const h = await signedIn();
    await h.clock.advance(HOUR);
    const [a, b] = await Promise.all([
      h.broker.acquireToken({ scopes: ["User.Read"], allowInteraction: false }),
      h.broker.acquireToken({ scopes: ["Mail.Read"], allowInteraction: false }),
    ]);
    expect(a.source).toBe("refresh_token");
    expect(b.source).toBe("refresh_token");
    const sent = h.idp.tokenRequests("refresh_token").map((r) => r.form.get("refresh_token"));
    expect(sent).toHaveLength(2);
    expect(new Set(sent).size).toBe(2);
    expect(h.idp.refreshTokenReuse).toBe(0);
  });

  it("stores the rotated refresh token with the new access token in one batch", async () => {
    const h = await signedIn();
    await h.clock.advance(HOUR);
    const batches: unknown[] = [];
    const original = h.store.batch.bind(h.store);
    h.store.batch = async (ops) => {
      batches.push(ops);
      return original(ops);
    };
    await h.broker.acquireToken({ scopes: ["User.Read"], allowInteraction: false });
    expect(batches).toHaveLength(1);
    const keys = Object.keys((batches[0] as { put: Record<string, unknown> }).put);
    expect(keys.some((k) => k.startsWith("rt:"))).toBe(true);
    expect(keys.some((k) => k.startsWith("at:"))).toBe(true);
    expect(keys.some((k) => k.startsWith("idt:"))).toBe(true);
  });
});
