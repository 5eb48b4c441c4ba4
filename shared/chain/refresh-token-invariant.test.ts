import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createHarness, invalidGrant, signIn } from "./broker-harness.test-support.js";

const SCOPES = [["User.Read"], ["Mail.Read"], ["api://demo/Data.Read"], ["User.Read", "Mail.Read"]];

type Op =
  | { kind: "acquire"; callers: Array<{ scopes: number; force: boolean }> }
  | { kind: "advance"; ms: number }
  | { kind: "fault"; fault: "429" | "500" | "invalid_grant" | "network" };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant("acquire" as const),
    callers: fc.array(fc.record({ scopes: fc.nat({ max: SCOPES.length - 1 }), force: fc.boolean() }), { minLength: 1, maxLength: 6 }),
  }),
  fc.record({ kind: fc.constant("advance" as const), ms: fc.integer({ min: 0, max: 3_600_000 }) }),
  fc.record({ kind: fc.constant("fault" as const), fault: fc.constantFrom("429" as const, "500" as const, "invalid_grant" as const, "network" as const) }),
);

describe("invariant: no refresh token is sent to the IdP twice", () => {
  it("holds under random schedules of concurrent callers, time jumps and IdP faults", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 25 }), async (ops) => {
        const h = createHarness({ policy: { resilience: { maxAttempts: 2 } } });
        h.idp.hasSession = false;
        await signIn(h);
        h.idp.hasSession = true;
        for (const o of ops) {
          if (o.kind === "advance") await h.clock.advance(o.ms);
          else if (o.kind === "fault") {
            h.idp.faults.push(
              o.fault === "429"
                ? { status: 429, headers: { "retry-after": "20" } }
                : o.fault === "500"
                  ? { status: 500 }
                  : o.fault === "network"
                    ? { networkError: "reset" }
                    : invalidGrant(),
            );
          } else {
            const pending = Promise.allSettled(
              o.callers.map((c) => h.broker.acquireToken({ scopes: SCOPES[c.scopes]!, forceRefresh: c.force, allowInteraction: false })),
            );
            let settled = false;
            void pending.then(() => (settled = true));
            // Drive the fake clock (backoff, timeouts) until every caller has settled.
            for (let i = 0; i < 200 && !settled; i++) {
              await h.clock.runAll();
              await new Promise<void>((resolve) => setImmediate(resolve));
            }
            expect(settled).toBe(true);
          }
        }
        expect(h.idp.refreshTokenReuse).toBe(0);
        expect(new Set(h.idp.redeemedRefreshTokens).size).toBe(h.idp.redeemedRefreshTokens.length);
      }),
      { numRuns: 100 },
    );
  });
});
