import { afterEach, describe, expect, it, vi } from "vitest";
import { AuthShellError, ERROR_CODES } from "../../shared/errors.js";
import { callUi, dispatchUi, type UiHandlers } from "../protocol/ui-channel.js";
import { RetryAfterGate } from "../../shared/resilience/retry-after-gate.js";
import { idpGateKey } from "../../shared/resilience/gate-keys.js";
import { MemoryStore } from "../../shared/storage/memory-store.js";
import { FakeClock } from "../../e2e/support/unit/fake-clock.js";
import { checkConfig } from "../background/config.js";
import { errorText } from "../ui/broker-client.js";
import { errorSentence } from "./error-text.js";
import { stubChromeI18n } from "./locale-stub.test-support.js";

afterEach(() => vi.unstubAllGlobals());

/** What the popup catches when the worker's signIn handler throws `thrown`: the error after the UI channel's JSON round trip. */
async function caughtInPopup(thrown: () => unknown): Promise<unknown> {
  const failing = async () => {
    throw thrown();
  };
  const handlers = { signIn: failing, setConfig: failing } as unknown as UiHandlers;
  const wire = async (message: unknown) => JSON.parse(JSON.stringify(await dispatchUi(handlers, message))) as unknown;
  try {
    await callUi(wire, { kind: "signIn", addAccount: true });
  } catch (error) {
    return error;
  }
  throw new Error("expected the call to fail");
}

/** The error the token endpoint's closed Retry-After gate throws (the audit's "Requests to idp:…/token are paused"). */
async function gateError(waitMs: number): Promise<unknown> {
  const gate = new RetryAfterGate(new MemoryStore(), new FakeClock());
  const key = idpGateKey("localhost:46719", "1ff2a0b3-0000-4000-8000-000000000000", "token");
  await gate.close(key, waitMs);
  return caughtInPopup(() => {
    try {
      gate.check(key);
    } catch (error) {
      return error;
    }
    throw new Error("the gate should be closed");
  });
}

describe("errorText: a failed call in the user's words", () => {
  it("says a throttled sign-in with its wait in words, never the gate key or the developer message", async () => {
    stubChromeI18n("en");
    const error = await gateError(45_000);
    expect((error as AuthShellError).message).toMatch(/idp:localhost:46719\/.*\/token/); // what used to be shown
    const text = errorText(error);
    expect(text).toBe("The sign-in service asked us to slow down. Try again in 45 seconds.");
    expect(text).not.toMatch(/idp:|\/token|Retry-After/);
  });

  it("speaks German in the German build, the wait included", async () => {
    stubChromeI18n("de");
    expect(errorText(await gateError(45_000))).toBe("Der Anmeldedienst hat um eine Pause gebeten. Versuchen Sie es in 45 Sekunden erneut.");
    expect(errorText(await gateError(150_000))).toBe("Der Anmeldedienst hat um eine Pause gebeten. Versuchen Sie es in 3 Minuten erneut.");
  });

  it("rounds a wait up to the unit that reads exactly enough", async () => {
    stubChromeI18n("en");
    expect(errorText(await gateError(300))).toMatch(/Try again in 1 second\.$/);
    expect(errorText(await gateError(89_000))).toMatch(/Try again in 89 seconds\.$/);
    expect(errorText(await gateError(89_001))).toMatch(/Try again in 2 minutes\.$/);
    expect(errorText(await gateError(150_000))).toMatch(/Try again in 3 minutes\.$/);
    expect(errorText(await gateError(2 * 3600_000))).toMatch(/Try again in 2 hours\.$/);
  });

  it("says 'Try again.' for a retryable error without a wait, and nothing more for one that is not retryable", () => {
    stubChromeI18n("en");
    expect(errorText(new AuthShellError("idp_unavailable", "idp:x/t/token answered 503"))).toBe("The sign-in service is not answering. Try again.");
    expect(errorText(new AuthShellError("user_cancelled", "The sign-in window was closed"))).toBe("The sign-in window was closed before the sign-in finished.");
    expect(errorText(new AuthShellError("idp_error", "Identity provider error: AADSTS50011 …", { idpErrorCode: 50011 }))).toBe(
      "The sign-in service refused the request (AADSTS50011).",
    );
  });

  it("keeps the worker's own sentences for refusals per field (the settings validator's, in the user's language)", async () => {
    stubChromeI18n("de");
    const refused = await caughtInPopup(() => {
      try {
        checkConfig({ authority: "https://login.microsoftonline.com", clientId: "my-app", defaultScopes: "User.Read" });
      } catch (error) {
        return error;
      }
      throw new Error("the settings should be refused");
    });
    expect(refused).toBeInstanceOf(AuthShellError);
    expect((refused as AuthShellError).fields?.clientId).toMatch(/ist keine Client-ID/);
    expect(errorText(refused)).toBe("Nicht gespeichert: Korrigieren Sie die markierten Felder.");
  });

  it("has a translated sentence for every error code: no key, no developer message, German differs from English", () => {
    for (const code of ERROR_CODES) {
      const error = new AuthShellError(code, `developer note about idp:host/tenant/token (${code})`);
      stubChromeI18n("en");
      const en = errorSentence(error, "en");
      stubChromeI18n("de");
      const de = errorSentence(error, "de");
      for (const text of [en, de]) {
        expect(text, code).not.toMatch(/\berror_[a-z_]+|developer note|idp:/);
        expect(text.length, code).toBeGreaterThan(10);
      }
      expect(de, code).not.toBe(en);
    }
  });

  it("reads the plain form too, and leaves errors that are not AuthShellErrors as they are", () => {
    stubChromeI18n("en");
    const plain = new AuthShellError("throttled", "Throttled by idp:x/t/token (429); retry in 20 s", { retryAfterMs: 20_000 }).toPlain();
    expect(errorText(plain)).toBe("The sign-in service asked us to slow down. Try again in 20 seconds.");
    expect(errorText(new Error("Could not establish connection."))).toBe("Could not establish connection.");
    expect(errorText("odd")).toBe("odd");
  });
});
