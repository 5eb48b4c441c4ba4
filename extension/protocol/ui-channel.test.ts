import { describe, expect, it } from "vitest";
import { AuthShellError } from "../../shared/errors.js";
import { callUi, dispatchUi, errorReply, type UiHandlers, type UiRequest } from "./ui-channel.js";

const view = { now: 1, accounts: [], cache: [], gates: [], breakers: [] };
const config = { authority: "https://a/t", clientId: "c", defaultScopes: ["s"], redirectUri: "r", managed: [] };

/** Handlers that record the request each one was given (what the worker's handler would see). */
function recordingHandlers(overrides: Partial<UiHandlers> = {}) {
  const seen: unknown[] = [];
  const record = <T>(value: T) => async (request: unknown) => (seen.push(request), value);
  const handlers: UiHandlers = {
    getStatus: record(view),
    signIn: async (m) => (seen.push(m), { homeAccountId: "h", username: m.loginHint ?? "?", tenantId: "t", environment: "e", active: true }),
    signOut: record({ logoutUrl: "https://idp/logout" }),
    switchAccount: record([]),
    listGrants: record([]),
    addGrant: record([]),
    removeGrant: record([]),
    getConfig: record(config),
    setConfig: record({ ...config, notes: {}, signedOut: 0, grantsUpdated: 0 }),
    checkRegistration: record({ outcome: "ok" as const, sentence: "fine" }),
    getEvents: record([]),
    getSiteFlags: record([]),
    getScopeQuestions: record([]),
    answerScopeQuestion: record({ answered: true }),
    getActivity: record({ entries: [], bound: { maxDays: 30, maxEntries: 10_000 } }),
    getLastUse: record({}),
    ...overrides,
  };
  return { handlers, seen };
}

/** The page's side wired straight to the worker's dispatcher, through a JSON round trip as on the wire. */
function wire(handlers: UiHandlers) {
  return async (message: unknown) => JSON.parse(JSON.stringify(await dispatchUi(handlers, JSON.parse(JSON.stringify(message))))) as unknown;
}

describe("UI channel: dispatchUi (worker) ↔ callUi (pages)", () => {
  it.each<UiRequest>([
    { kind: "getStatus" },
    { kind: "signIn", loginHint: "adele@contoso.test" },
    { kind: "signOut" },
    { kind: "signIn", addAccount: true },
    { kind: "signIn", loginHint: "adele@contoso.test", again: true },
    { kind: "signOut", homeAccountId: "oid-2.tid-2" },
    { kind: "switchAccount", homeAccountId: "oid-2.tid-2" },
    { kind: "listGrants" },
    { kind: "addGrant", grant: { origin: "http://localhost:5173", clientIds: ["c1"], scopes: ["User.Read"] } },
    { kind: "removeGrant", origin: "http://localhost:5173" },
    { kind: "getConfig" },
    { kind: "setConfig", config: { authority: "https://localhost:8443/t", clientId: "c", defaultScopes: ["User.Read"] } },
    { kind: "getEvents", limit: 50 },
    { kind: "checkRegistration" },
    { kind: "getSiteFlags" },
    { kind: "getScopeQuestions" },
    { kind: "answerScopeQuestion", id: "https://a.example|client|mail.read", answer: "always" },
    { kind: "getActivity" },
    { kind: "getActivity", query: { origin: "http://localhost:5173", account: "adele@contoso.test", since: 0, limit: 10_000 } },
    { kind: "getLastUse" },
    // Form values travel as typed: the worker refuses them field by field (shared/config/validate-settings.ts).
    { kind: "setConfig", config: { authority: "https://login.microsoftonline.com", clientId: "my-app", defaultScopes: "!!! <script>" } },
    { kind: "addGrant", grant: { origin: "https://app.contoso.com/path", clientIds: "my-app", scopes: "" } },
  ])("routes %j to its own handler with the validated request", async (message) => {
    const { handlers, seen } = recordingHandlers();
    await callUi(wire(handlers), message);
    expect(seen).toEqual([message]);
  });

  it("answers with the handler's typed value", async () => {
    const { handlers } = recordingHandlers();
    expect((await callUi(wire(handlers), { kind: "signIn", loginHint: "adele" })).username).toBe("adele");
    expect(await callUi(wire(handlers), { kind: "getStatus" })).toEqual(view);
  });

  it.each([
    null,
    "getStatus",
    { kind: "nope" },
    { kind: "naa", request: "{}" },
    { kind: "addGrant", grant: { origin: 42, clientIds: [] } },
    { kind: "setConfig", config: { authority: "x".repeat(3000), clientId: "c", defaultScopes: [] } },
    { kind: "getEvents", limit: 0 },
    { kind: "switchAccount" },
    { kind: "switchAccount", homeAccountId: "" },
    { kind: "signOut", homeAccountId: 42 },
    { kind: "signIn", addAccount: "yes" },
    { kind: "signIn", loginHint: "adele@contoso.test", again: "yes" },
    { kind: "getActivity", query: { limit: 10_001 } },
    { kind: "getActivity", query: { since: -1 } },
    { kind: "getActivity", query: { origin: 42 } },
  ])("rejects %j with invalid_request before any handler runs", async (message) => {
    const { handlers, seen } = recordingHandlers();
    await expect(callUi(wire(handlers), message as UiRequest)).rejects.toMatchObject({ code: "invalid_request" });
    expect(seen).toEqual([]);
  });

  it("drops unknown fields: a handler never sees them", async () => {
    const { handlers, seen } = recordingHandlers();
    await callUi(wire(handlers), { kind: "signOut", homeAccountId: "a", refreshToken: "x" } as UiRequest);
    expect(seen).toEqual([{ kind: "signOut", homeAccountId: "a" }]);
  });

  it("a failing handler comes back as its AuthShellError (code, retry wait), never a throw in the worker", async () => {
    const failing = recordingHandlers({ listGrants: async () => Promise.reject(new AuthShellError("throttled", "wait", { retryAfterMs: 5000 })) });
    const reply = await dispatchUi(failing.handlers, { kind: "listGrants" });
    expect(reply).toMatchObject({ ok: false, error: { code: "throttled" } });
    await expect(callUi(wire(failing.handlers), { kind: "listGrants" })).rejects.toMatchObject({ code: "throttled", retryAfterMs: 5000 });
    expect(errorReply(new Error("boom"))).toMatchObject({ ok: false, error: { code: "internal_error" } });
  });

  it("a refusal's sentence per field crosses the channel", async () => {
    const fields = { clientId: "“my-app” is not a client ID." };
    const failing = recordingHandlers({ setConfig: async () => Promise.reject(new AuthShellError("config_error", "Not saved", { fields })) });
    await expect(callUi(wire(failing.handlers), { kind: "setConfig", config: { authority: "a", clientId: "my-app", defaultScopes: [] } })).rejects.toMatchObject({ code: "config_error", fields });
  });

  it("a malformed envelope on the pages' side is invalid_response", async () => {
    for (const bad of [null, undefined, { ok: true }, { ok: false, error: { code: "bogus" } }, "x"]) {
      await expect(callUi(async () => bad, { kind: "getStatus" })).rejects.toMatchObject({ code: "invalid_response" });
    }
  });
});
