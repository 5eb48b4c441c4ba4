import { describe, expect, it } from "vitest";
import { AuthShellError } from "../errors.js";
import { flushMicrotasks } from "../../e2e/support/unit/fake-clock.js";
import { KEY, request, run, setup } from "../../e2e/support/unit/resilient-request-harness.js";
import { sendResilient } from "./resilient-request.js";

describe("sendResilient: caller aborts", () => {
  it("a caller abort during the backoff stops retrying", async () => {
    const { clock, http, deps } = setup();
    http.on("/token", { status: 500 });
    const controller = new AbortController();
    const outcome = sendResilient(deps, { key: KEY, request, signal: controller.signal }).then(
      () => undefined,
      (e: unknown) => e as AuthShellError,
    );
    await clock.advance(1_000);
    controller.abort();
    const error = await outcome;
    expect(error?.code).toBe("network_error");
    expect(error?.retryable).toBe(false);
    await clock.runAll();
    expect(http.requests).toHaveLength(1);
  });

  it("a caller abort during a half-open probe frees the probe slot", async () => {
    const { clock, http, deps } = setup();
    http.on("/token", { status: 500 }, { hang: true });
    await run(deps, clock, { maxAttempts: 1 });
    await clock.advance(5_000);
    const controller = new AbortController();
    const reason = new AuthShellError("user_cancelled", "tab closed");
    const outcome = sendResilient(deps, { key: KEY, request, signal: controller.signal }).catch((e: unknown) => e);
    await flushMicrotasks();
    controller.abort(reason);
    expect(await outcome).toBe(reason);
    expect(deps.breaker.admit(KEY).probe).toBe(true);
  });

  it("an already aborted signal sends nothing", async () => {
    const { clock, http, deps } = setup();
    http.on("/token", { status: 200 });
    const { error } = await run(deps, clock, { signal: AbortSignal.abort() });
    expect(error?.code).toBe("network_error");
    expect(http.requests).toHaveLength(0);
  });
});
