import { describe, expect, it } from "vitest";
import { AuthShellError } from "../../../shared/errors.js";
import { FakeClock } from "../../../e2e/support/unit/fake-clock.js";
import { FakeHttp } from "../../../e2e/support/unit/fake-http.js";
import { MemoryStore } from "../../../shared/storage/memory-store.js";
import { RetryAfterGate } from "../../../shared/resilience/retry-after-gate.js";
import { CircuitBreaker } from "../../../shared/resilience/circuit-breaker.js";
import { createResilientNetworkClient } from "./msal-network-client.js";

const TOKEN = "https://login.test/t/oauth2/v2.0/token";

function harness() {
  const clock = new FakeClock();
  const http = new FakeHttp(clock);
  const store = new MemoryStore();
  const gate = new RetryAfterGate(store, clock);
  const client = createResilientNetworkClient({ clock, http, random: { bytes: (n) => new Uint8Array(n), float: () => 0.5 }, gate, breaker: new CircuitBreaker(store, clock) });
  return { clock, http, gate, client };
}

describe("the standalone MSAL network client and both shapes of a 429", () => {
  it.each([
    ["a JSON error body", { "Content-Type": "application/json", "Retry-After": "30" }, { error: "temporarily_unavailable", error_description: "AADSTS50196" }],
    ["Entra's plain-text 'Too Many Requests'", { "Content-Type": "text/plain", "Retry-After": "30" }, "Too Many Requests"],
  ])("%s: throttled with the Retry-After, the gate closed, nothing more sent", async (_shape, headers, body) => {
    const h = harness();
    h.http.on(TOKEN, { status: 429, headers, body });
    const first = await h.client.sendPostRequestAsync(TOKEN, { body: "grant_type=refresh_token" }).catch((e: unknown) => e);
    expect(first).toBeInstanceOf(AuthShellError);
    expect((first as AuthShellError).code).toBe("throttled");
    expect((first as AuthShellError).retryAfterMs).toBe(30_000);
    expect(h.client.takeLastFailure()?.code).toBe("throttled");
    const second = await h.client.sendPostRequestAsync(TOKEN, { body: "grant_type=refresh_token" }).catch((e: unknown) => e);
    expect((second as AuthShellError).code).toBe("throttled");
    expect(h.http.sent(TOKEN)).toHaveLength(1);
  });

  it("a non-JSON answer that is not a 429 is an invalid_response, not a crash", async () => {
    const h = harness();
    h.http.on(TOKEN, { status: 400, headers: { "Content-Type": "text/html" }, body: "<html>Bad Request</html>" });
    const error = await h.client.sendPostRequestAsync(TOKEN, { body: "x=1" }).catch((e: unknown) => e);
    expect((error as AuthShellError).code).toBe("invalid_response");
  });
});
