import { describe, expect, it } from "vitest";
import { AuthShellError } from "../errors.js";
import { isPageToRelayMessage, isRelayGrantAnswer, isRelayResponse, isRelayToPageMessage, PAGE_CHANNEL, parseRelayMessage } from "./naa-channel.js";
import { NAA_MAX_REQUEST_CHARS } from "./naa-wire.js";

describe("NAA channel, hop 1 (page ↔ relay)", () => {
  it("recognises its own envelopes only", () => {
    expect(isPageToRelayMessage({ channel: PAGE_CHANNEL, type: "request", request: "{}" })).toBe(true);
    expect(isPageToRelayMessage({ channel: "other", type: "request", request: "{}" })).toBe(false);
    expect(isPageToRelayMessage({ channel: PAGE_CHANNEL, type: "request", request: 1 })).toBe(false);
    expect(isPageToRelayMessage({ channel: PAGE_CHANNEL, type: "request", request: "x".repeat(NAA_MAX_REQUEST_CHARS + 1) })).toBe(false);
    for (const notAnEnvelope of [null, undefined, PAGE_CHANNEL, 1, true, [PAGE_CHANNEL]]) {
      expect(isPageToRelayMessage(notAnEnvelope)).toBe(false);
      expect(isRelayToPageMessage(notAnEnvelope)).toBe(false);
    }
    expect(isRelayToPageMessage({ channel: PAGE_CHANNEL, type: "response", response: "{}" })).toBe(true);
    expect(isRelayToPageMessage({ channel: PAGE_CHANNEL, type: "request", request: "{}" })).toBe(false);
  });
});

describe("NAA channel, hop 2 (relay ↔ worker)", () => {
  it("accepts relay requests within the limit and rebuilds them without unknown fields", () => {
    expect(parseRelayMessage({ kind: "naa", request: "{}", refreshToken: "x" })).toEqual({ kind: "naa", request: "{}" });
    for (const bad of [null, "naa", { kind: "getStatus" }, { kind: "naa", request: 5 }, { kind: "naa", request: "x".repeat(NAA_MAX_REQUEST_CHARS + 1) }]) {
      expect(parseRelayMessage(bad)).toBeInstanceOf(AuthShellError);
    }
  });

  it("carries the relay's user-activation flag only as a boolean", () => {
    expect(parseRelayMessage({ kind: "naa", request: "{}", userActivated: true })).toEqual({ kind: "naa", request: "{}", userActivated: true });
    expect(parseRelayMessage({ kind: "naa", request: "{}", userActivated: false })).toEqual({ kind: "naa", request: "{}" });
    expect(parseRelayMessage({ kind: "naa", request: "{}", userActivated: "yes" })).toBeInstanceOf(AuthShellError);
  });

  it("recognises worker answers only in their own shape", () => {
    expect(isRelayResponse({ kind: "naa-response", requestId: "r", response: "{}" })).toBe(true);
    expect(isRelayResponse({ kind: "naa-response", requestId: 1, response: "{}" })).toBe(false);
    expect(isRelayResponse({ kind: "naa", request: "{}" })).toBe(false);
    expect(isRelayGrantAnswer({ kind: "naa-granted", granted: false })).toBe(true);
    expect(isRelayGrantAnswer({ kind: "naa-granted", granted: "yes" })).toBe(false);
    expect(isRelayGrantAnswer({ kind: "naa-response", requestId: "r", response: "{}" })).toBe(false);
    for (const notAnAnswer of [null, undefined, "naa-response", "naa-granted", 0]) {
      expect(isRelayResponse(notAnAnswer)).toBe(false);
      expect(isRelayGrantAnswer(notAnAnswer)).toBe(false);
    }
  });
});
