import { describe, expect, it } from "vitest";
import type { AuthShellError } from "../errors.js";
import { MemoryStore } from "../storage/memory-store.js";
import { FakeClock } from "../../e2e/support/unit/fake-clock.js";
import { InteractionCooldown } from "./interaction-cooldown.js";

function checkError(cooldown: InteractionCooldown, key?: string, options?: { appInitiated?: boolean }): AuthShellError | undefined {
  try {
    cooldown.check(key, options);
    return undefined;
  } catch (error) {
    return error as AuthShellError;
  }
}

describe("InteractionCooldown", () => {
  it("lets the first prompt through", () => {
    const cooldown = new InteractionCooldown(new FakeClock());
    expect(checkError(cooldown)).toBeUndefined();
    expect(cooldown.cooldownUntil()).toBeUndefined();
  });

  it("after a cancelled prompt fails fast with interaction_cooldown until the cool-down passes", async () => {
    const clock = new FakeClock();
    const cooldown = new InteractionCooldown(clock);
    expect(await cooldown.recordFailure()).toBe(10_000);
    await clock.advance(4_000);
    const error = checkError(cooldown);
    expect(error?.code).toBe("interaction_cooldown");
    expect(error?.retryAfterMs).toBe(6_000);
    expect(cooldown.cooldownUntil()).toBe(clock.now() + 6_000);
    await clock.advance(6_000);
    expect(checkError(cooldown)).toBeUndefined();
  });

  it("escalates on consecutive failures up to the cap, and a success resets it", async () => {
    const cooldown = new InteractionCooldown(new FakeClock());
    const waits = [];
    for (let i = 0; i < 6; i++) waits.push(await cooldown.recordFailure("acct"));
    expect(waits).toEqual([10_000, 20_000, 40_000, 80_000, 120_000, 120_000]);
    await cooldown.recordSuccess("acct");
    expect(checkError(cooldown, "acct")).toBeUndefined();
    expect(await cooldown.recordFailure("acct")).toBe(10_000);
    await cooldown.recordSuccess("other");
  });

  it("keys are independent", async () => {
    const cooldown = new InteractionCooldown(new FakeClock());
    await cooldown.recordFailure("a");
    expect(checkError(cooldown, "b")).toBeUndefined();
    expect(checkError(cooldown, "a")?.code).toBe("interaction_cooldown");
  });

  it("persists across a restart when given a store", async () => {
    const clock = new FakeClock();
    const store = new MemoryStore();
    await new InteractionCooldown(clock, store).recordFailure();
    await store.set("cooldown:junk", { until: "x" });
    const restarted = new InteractionCooldown(clock, store);
    await restarted.load();
    expect(checkError(restarted)?.retryAfterMs).toBe(10_000);
    await restarted.recordSuccess();
    expect(await store.get("cooldown:default")).toBeUndefined();
    await new InteractionCooldown(clock).load(); // no store: nothing to do
  });

  it("a prompt the user closed holds an app's own prompts past the cool-down until a success; other prompts only for the cool-down", async () => {
    const clock = new FakeClock();
    const store = new MemoryStore();
    const cooldown = new InteractionCooldown(clock, store);
    await cooldown.recordFailure("closed", { declined: true });
    await cooldown.recordFailure("failed");
    await clock.advance(60 * 60_000);
    const app = { appInitiated: true };
    expect(checkError(cooldown, "closed", app)?.code).toBe("interaction_cooldown");
    expect(checkError(cooldown, "closed", app)?.retryable).toBe(false);
    expect(checkError(cooldown, "closed")).toBeUndefined();
    expect(checkError(cooldown, "failed", app)).toBeUndefined();
    // Persisted: a restarted worker still holds it.
    const restarted = new InteractionCooldown(clock, store);
    await restarted.load();
    expect(checkError(restarted, "closed", app)?.code).toBe("interaction_cooldown");
    // A later failure that is not a close, or a success, ends it.
    await restarted.recordFailure("closed");
    await clock.advance(20_000);
    expect(checkError(restarted, "closed", app)).toBeUndefined();
    await restarted.recordFailure("closed", { declined: true });
    await restarted.recordSuccess("closed");
    expect(checkError(restarted, "closed", app)).toBeUndefined();
  });
});
