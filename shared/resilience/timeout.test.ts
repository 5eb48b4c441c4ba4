import { describe, expect, it } from "vitest";
import { AuthShellError } from "../errors.js";
import { FakeClock, flushMicrotasks } from "../../e2e/support/unit/fake-clock.js";
import { abortError, withTimeout } from "./timeout.js";

describe("withTimeout", () => {
  it("returns the result when the operation finishes in time and cancels its timer", async () => {
    const clock = new FakeClock();
    expect(await withTimeout(clock, 1_000, async () => "done")).toBe("done");
    expect(clock.pendingSleeps).toBe(0);
  });

  it("aborts the operation and throws a retryable timeout when the time is up", async () => {
    const clock = new FakeClock();
    let seen: AbortSignal | undefined;
    const pending = withTimeout(clock, 10_000, (signal) => ((seen = signal), new Promise<never>(() => undefined)));
    const outcome = pending.catch((e: unknown) => e);
    await clock.advance(9_999);
    expect(seen?.aborted).toBe(false);
    await clock.advance(1);
    const error = (await outcome) as AuthShellError;
    expect(error.code).toBe("timeout");
    expect(error.retryable).toBe(true);
    expect(seen?.aborted).toBe(true);
  });

  it("passes operation failures through", async () => {
    await expect(withTimeout(new FakeClock(), 1_000, async () => Promise.reject(new TypeError("offline")))).rejects.toThrow("offline");
  });

  it("a parent abort aborts the operation with the parent's AuthShellError", async () => {
    const clock = new FakeClock();
    const parent = new AbortController();
    const reason = new AuthShellError("user_cancelled", "closed");
    const outcome = withTimeout(clock, 10_000, () => new Promise<never>(() => undefined), parent.signal).catch((e: unknown) => e);
    await flushMicrotasks();
    parent.abort(reason);
    expect(await outcome).toBe(reason);
    expect(clock.pendingSleeps).toBe(0);
  });

  it("an already aborted parent throws before starting", async () => {
    let started = false;
    const error = await withTimeout(new FakeClock(), 1_000, async () => (started = true), AbortSignal.abort("gone")).catch((e: unknown) => e);
    expect(started).toBe(false);
    expect((error as AuthShellError).code).toBe("network_error");
    expect((error as AuthShellError).retryable).toBe(false);
  });

  it("abortError keeps AuthShellErrors and wraps anything else", () => {
    const original = new AuthShellError("timeout", "t");
    expect(abortError(original)).toBe(original);
    expect(abortError("x").code).toBe("network_error");
  });
});
