import { describe, expect, it } from "vitest";
import { AuthShellError } from "../errors.js";
import {
  errorResponse,
  okResponse,
  parseRelayMessage,
  parseUiMessage,
  unwrapResponse,
  type RelayMessage,
  type UiMessage,
} from "./broker-messages.js";
import { isPageToRelayMessage, isRelayToPageMessage, PAGE_CHANNEL } from "./page-channel.js";

type BrokerMessage = RelayMessage | UiMessage;

/** The worker's two channels together: a relay message, else a popup/options message. */
function parseBrokerMessage(input: unknown): BrokerMessage | AuthShellError {
  const relay = parseRelayMessage(input);
  return relay instanceof AuthShellError ? parseUiMessage(input) : relay;
}

describe("broker messages", () => {
  it.each([
    { kind: "naa", request: "{}" },
    { kind: "getStatus" },
    { kind: "signIn", loginHint: "adele@contoso.test" },
    { kind: "signOut" },
    { kind: "listGrants" },
    { kind: "addGrant", grant: { origin: "http://localhost:5173", clientIds: ["c1"], scopes: ["User.Read"] } },
    { kind: "removeGrant", origin: "http://localhost:5173" },
    { kind: "getConfig" },
    { kind: "setConfig", config: { authority: "https://localhost:8443/t", clientId: "c", defaultScopes: ["User.Read"] } },
    { kind: "getEvents", limit: 50 },
  ])("accepts %j", (message) => {
    const parsed = parseBrokerMessage(message);
    expect(parsed).not.toBeInstanceOf(AuthShellError);
    expect((parsed as BrokerMessage).kind).toBe(message.kind);
  });

  it.each([
    null,
    "getStatus",
    { kind: "nope" },
    { kind: "naa", request: 5 },
    { kind: "naa", request: "x".repeat(64 * 1024 + 1) },
    { kind: "addGrant", grant: { origin: "not a url", clientIds: [] } },
    { kind: "setConfig", config: { authority: "x", clientId: "c", defaultScopes: [] } },
    { kind: "getEvents", limit: 0 },
  ])("rejects %j with invalid_request", (message) => {
    const parsed = parseBrokerMessage(message);
    expect(parsed).toBeInstanceOf(AuthShellError);
    expect((parsed as AuthShellError).code).toBe("invalid_request");
  });

  it("keeps relay and UI channels apart and drops unknown fields", () => {
    expect(parseRelayMessage({ kind: "getStatus" })).toBeInstanceOf(AuthShellError);
    expect(parseUiMessage({ kind: "naa", request: "{}" })).toBeInstanceOf(AuthShellError);
    expect(parseRelayMessage({ kind: "naa", request: "{}", refreshToken: "x" })).toEqual({ kind: "naa", request: "{}" });
  });

  it("round-trips responses; errors come back as AuthShellErrors", () => {
    expect(unwrapResponse(JSON.parse(JSON.stringify(okResponse({ n: 1 }))))).toEqual({ n: 1 });
    const wire = JSON.parse(JSON.stringify(errorResponse(new AuthShellError("throttled", "wait", { retryAfterMs: 5000 }))));
    expect(() => unwrapResponse(wire)).toThrow(expect.objectContaining({ code: "throttled", retryAfterMs: 5000 }));
    expect(errorResponse(new Error("boom")).ok).toBe(false);
    for (const bad of [null, { ok: true }, { ok: false, error: { code: "bogus" } }, "x"]) {
      expect(() => unwrapResponse(bad)).toThrow(expect.objectContaining({ code: "invalid_response" }));
    }
  });
});

describe("page channel", () => {
  it("recognises its own envelopes only", () => {
    expect(isPageToRelayMessage({ channel: PAGE_CHANNEL, type: "request", request: "{}" })).toBe(true);
    expect(isPageToRelayMessage({ channel: "other", type: "request", request: "{}" })).toBe(false);
    expect(isPageToRelayMessage({ channel: PAGE_CHANNEL, type: "request", request: 1 })).toBe(false);
    expect(isPageToRelayMessage({ channel: PAGE_CHANNEL, type: "request", request: "x".repeat(64 * 1024 + 1) })).toBe(false);
    expect(isPageToRelayMessage(null)).toBe(false);
    expect(isRelayToPageMessage({ channel: PAGE_CHANNEL, type: "response", response: "{}" })).toBe(true);
    expect(isRelayToPageMessage({ channel: PAGE_CHANNEL, type: "request", request: "{}" })).toBe(false);
  });
});
