import { describe, expect, it } from "vitest";
import { AuthShellError } from "../errors.js";
import { dispatchUi, errorReply, okReply, parseUiMessage, unwrapReply, type UiHandlers } from "./ui-channel.js";

describe("UI channel messages", () => {
  it.each([
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
    const parsed = parseUiMessage(message);
    expect(parsed).not.toBeInstanceOf(AuthShellError);
    expect((parsed as { kind: string }).kind).toBe(message.kind);
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
    const parsed = parseUiMessage(message);
    expect(parsed).toBeInstanceOf(AuthShellError);
    expect((parsed as AuthShellError).code).toBe("invalid_request");
  });

  it("drops unknown fields and refuses the relay channel's messages", () => {
    expect(parseUiMessage({ kind: "naa", request: "{}" })).toBeInstanceOf(AuthShellError);
    expect(parseUiMessage({ kind: "signOut", homeAccountId: "a", refreshToken: "x" })).toEqual({ kind: "signOut", homeAccountId: "a" });
  });

  it("round-trips responses; errors come back as AuthShellErrors", () => {
    expect(unwrapReply(JSON.parse(JSON.stringify(okReply({ n: 1 }))))).toEqual({ n: 1 });
    const wire = JSON.parse(JSON.stringify(errorReply(new AuthShellError("throttled", "wait", { retryAfterMs: 5000 }))));
    expect(() => unwrapReply(wire)).toThrow(expect.objectContaining({ code: "throttled", retryAfterMs: 5000 }));
    expect(errorReply(new Error("boom")).ok).toBe(false);
    for (const bad of [null, { ok: true }, { ok: false, error: { code: "bogus" } }, "x"]) {
      expect(() => unwrapReply(bad)).toThrow(expect.objectContaining({ code: "invalid_response" }));
    }
  });
});


describe("dispatchUi", () => {
  const view = { now: 1, accounts: [], cache: [], gates: [], breakers: [] };
  const handlers = (overrides: Partial<UiHandlers> = {}): UiHandlers => ({
    getStatus: async () => view,
    signIn: async (m) => ({ homeAccountId: "h", username: m.loginHint ?? "?", tenantId: "t", environment: "e" }),
    signOut: async () => ({ logoutUrl: "https://idp/logout" }),
    listGrants: async () => [],
    addGrant: async () => [],
    removeGrant: async () => [],
    getConfig: async () => ({ authority: "https://a/t", clientId: "c", defaultScopes: ["s"], redirectUri: "r", managed: [] }),
    setConfig: async () => ({ authority: "https://a/t", clientId: "c", defaultScopes: ["s"], redirectUri: "r", managed: [] }),
    getEvents: async () => [],
    ...overrides,
  });

  it("routes each kind to its own handler with the validated request", async () => {
    expect(unwrapReply(await dispatchUi(handlers(), { kind: "signIn", loginHint: "adele" }))).toMatchObject({ username: "adele" });
    expect(unwrapReply(await dispatchUi(handlers(), { kind: "getStatus" }))).toEqual(view);
  });

  it("answers malformed messages and failing handlers with an error reply, never a throw", async () => {
    const bad = await dispatchUi(handlers(), { kind: "removeGrant", origin: 5 });
    expect(bad).toMatchObject({ ok: false, error: { code: "invalid_request" } });
    const failing = await dispatchUi(handlers({ listGrants: async () => Promise.reject(new AuthShellError("storage_error", "down")) }), { kind: "listGrants" });
    expect(failing).toMatchObject({ ok: false, error: { code: "storage_error" } });
  });
});
