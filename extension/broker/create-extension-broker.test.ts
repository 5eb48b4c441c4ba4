import "fake-indexeddb/auto";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { BrokerEvent } from "../../shared/ports.js";
import { createExtensionBroker } from "./index.js";
import { normaliseSettings as normalise } from "./create-extension-broker.js";

const SETTINGS = { authority: "https://login.example/tenant-1.example/", clientId: "2ffc5f25-9392-442a-93ff-be195186c310", scopes: ["User.Read"] };

/** The chrome.* surface the broker touches, in memory; listeners are recorded, never fired by themselves. */
function installFakeChrome() {
  const alarmListeners: Array<(alarm: { name: string }) => void> = [];
  const connectListeners: Array<(port: unknown) => void> = [];
  const area = () => {
    const map = new Map<string, unknown>();
    return {
      get: async (key: string) => (map.has(key) ? { [key]: map.get(key) } : {}),
      set: async (items: Record<string, unknown>) => Object.entries(items).forEach(([k, v]) => map.set(k, v)),
      remove: async (key: string) => void map.delete(key),
    };
  };
  vi.stubGlobal("chrome", {
    alarms: {
      onAlarm: { addListener: (l: (alarm: { name: string }) => void) => alarmListeners.push(l) },
      get: async () => undefined,
      create: async () => undefined,
      clear: async () => true,
    },
    identity: { getRedirectURL: () => "https://abcdefghijklmnopabcdefghijklmnop.chromiumapp.org/" },
    storage: { local: area(), session: area() },
    runtime: { id: "abcdefghijklmnopabcdefghijklmnop", getURL: (path: string) => `chrome-extension://abcdefghijklmnopabcdefghijklmnop/${path}`, onConnect: { addListener: (l: (port: unknown) => void) => connectListeners.push(l) } },
  });
  return { alarmListeners, connectListeners };
}

let fake: ReturnType<typeof installFakeChrome>;
beforeEach(() => {
  fake = installFakeChrome();
});
afterEach(() => {
  vi.unstubAllGlobals();
});

describe("createExtensionBroker", () => {
  it("registers its alarms listener synchronously, at creation (a waking alarm must find it)", () => {
    createExtensionBroker(SETTINGS);
    expect(fake.alarmListeners).toHaveLength(1);
  });

  it("fails at creation with config_error for broken fixed settings", () => {
    expect(() => createExtensionBroker({ ...SETTINGS, authority: "http://login.example/t" })).toThrow(expect.objectContaining({ code: "config_error" }));
    expect(() => createExtensionBroker({ ...SETTINGS, clientId: "" })).toThrow(expect.objectContaining({ code: "config_error" }));
    expect(() => createExtensionBroker({ ...SETTINGS, scopes: [] })).toThrow(expect.objectContaining({ code: "config_error" }));
  });

  it("explains broken settings in English sentences, not message keys, outside this extension's locale", () => {
    let thrown: unknown;
    try {
      createExtensionBroker({ ...SETTINGS, clientId: "my-app" });
    } catch (error) {
      thrown = error;
    }
    const { message, fields } = thrown as { message: string; fields?: Record<string, string> };
    expect(fields?.clientId).toMatch(/is not a client ID/);
    expect(`${message} ${Object.values(fields ?? {}).join(" ")}`).not.toMatch(/options_|grants_/);
  });

  it("reads lazy settings on first use and again only after reload()", async () => {
    const settings = vi.fn(async () => SETTINGS);
    const broker = createExtensionBroker({ settings });
    expect((await broker.status()).accounts).toEqual([]);
    await broker.getAccounts();
    expect(settings).toHaveBeenCalledTimes(1);
    broker.reload();
    await broker.status();
    expect(settings).toHaveBeenCalledTimes(2);
  });

  it("reports a failing settings() to subscribers and as the call's error; unsubscribe stops delivery", async () => {
    const broker = createExtensionBroker({ settings: async () => ({ ...SETTINGS, scopes: [] }) });
    const events: BrokerEvent[] = [];
    const unsubscribe = broker.subscribe((e) => events.push(e));
    broker.subscribe(() => {
      throw new Error("a broken subscriber must not stop the others");
    });
    await expect(broker.getAccounts()).rejects.toMatchObject({ code: "config_error" });
    await vi.waitFor(() => expect(events.map((e) => e.type)).toContain("broker.not_ready"));
    unsubscribe();
    const count = events.length;
    await expect(broker.acquireToken({ scopes: ["User.Read"] })).rejects.toMatchObject({ code: "config_error" });
    expect(events).toHaveLength(count);
  });

  it("exposeToPages registers its Port listener synchronously and leaves other Ports alone", () => {
    const broker = createExtensionBroker(SETTINGS);
    broker.exposeToPages({ grants: [] });
    expect(fake.connectListeners).toHaveLength(1);
    const foreign = { name: "the-authors-own-port", sender: {}, disconnect: vi.fn(), onMessage: { addListener: vi.fn() }, onDisconnect: { addListener: vi.fn() } };
    fake.connectListeners[0]!(foreign);
    expect(foreign.disconnect).not.toHaveBeenCalled();
    expect(foreign.onMessage.addListener).not.toHaveBeenCalled();
  });
});

describe("normaliseSettings", () => {
  it("trims the authority, dedupes scopes and fills the redirect URI and cp1 by default", () => {
    expect(normalise({ ...SETTINGS, scopes: ["User.Read", "User.Read", " "] }, () => "https://x.chromiumapp.org/")).toEqual({
      authority: "https://login.example/tenant-1.example",
      clientId: "2ffc5f25-9392-442a-93ff-be195186c310",
      scopes: ["User.Read"],
      redirectUri: "https://x.chromiumapp.org/",
      clientCapabilities: ["cp1"],
    });
  });

  // The same parser as the options page and the SPA shell (shared/oidc/authority.ts).
  it.each([
    ["https://login.microsoftonline.com/contoso.com/v2.0", "https://login.microsoftonline.com/contoso.com"],
    ["http://[::1]:8443/contoso.com/", "http://[::1]:8443/contoso.com"],
    ["https://login.microsoftonline.com/common", "https://login.microsoftonline.com/common"],
    ["https://login.microsoftonline.com/organizations", "https://login.microsoftonline.com/organizations"],
  ])("reads the authority %s as %s", (authority, normalised) => {
    expect(normalise({ ...SETTINGS, authority }, () => "r").authority).toBe(normalised);
  });

  it("refuses a client ID that is not a GUID", () => {
    expect(() => normalise({ ...SETTINGS, clientId: "my-app" }, () => "r")).toThrow(expect.objectContaining({ code: "config_error", fields: { clientId: expect.any(String) } }));
  });

  it("refuses what the options page refuses, a sentence per field", () => {
    let error: unknown;
    try {
      normalise({ authority: "https://login.microsoftonline.com", clientId: "my-app", scopes: ["<script>"] }, () => "r");
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: "config_error" });
    expect(Object.keys((error as { fields: object }).fields).sort()).toEqual(["authority", "clientId", "defaultScopes"]);
  });
});
