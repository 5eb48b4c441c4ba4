import { describe, expect, it } from "vitest";
import { AuthShellError } from "../../shared/errors.js";
import type { ConfigView, ExtensionConfig } from "../protocol/views.js";
import { saveWithChange, type ConfigChangePorts } from "./config-change.js";

const A = "https://login.microsoftonline.com/contoso.onmicrosoft.com";
const OLD = "11111111-1111-1111-1111-111111111111";
const NEW = "22222222-2222-2222-2222-222222222222";
const account = (n: number) => ({ homeAccountId: `h${n}`, username: `u${n}@contoso.test`, tenantId: "t", environment: "e", active: n === 1 });

function harness(before: Partial<ConfigView> = {}, accounts = [account(1), account(2)]) {
  let stored: ConfigView = { authority: A, clientId: OLD, defaultScopes: ["User.Read"], redirectUri: "r", managed: [], ...before };
  const steps: string[] = [];
  const ports: ConfigChangePorts = {
    current: async () => stored,
    check: (input) => {
      const c = input as ExtensionConfig;
      if (!/^[0-9a-f-]{36}$/.test(c.clientId)) throw new AuthShellError("config_error", "not saved", { fields: { clientId: "bad" } });
      return { config: c };
    },
    save: async (input) => {
      steps.push("save");
      const c = input as ExtensionConfig;
      stored = { ...stored, ...Object.fromEntries(Object.entries(c).filter(([k]) => !stored.managed.includes(k as keyof ExtensionConfig))) };
      return { view: stored, notes: {} };
    },
    accounts: async () => accounts,
    signOut: async (a) => void steps.push(`signOut ${a.username}`),
    moveGrants: async (from, to) => (steps.push(`move ${from}→${to}`), 3),
    reload: () => void steps.push("reload"),
  };
  return { ports, steps };
}

describe("saving a changed authority or client ID", () => {
  it("signs every account out with the old settings, then saves, moves the grants and reloads", async () => {
    const h = harness();
    const saved = await saveWithChange({ authority: A, clientId: NEW, defaultScopes: ["User.Read"] }, h.ports);
    expect(h.steps).toEqual(["signOut u1@contoso.test", "signOut u2@contoso.test", "save", `move ${OLD}→${NEW}`, "reload"]);
    expect(saved).toMatchObject({ clientId: NEW, signedOut: 2, grantsUpdated: 3 });
  });

  it("a new authority signs out but leaves the grants' client IDs", async () => {
    const h = harness();
    const saved = await saveWithChange({ authority: "https://login.microsoftonline.com/common", clientId: OLD, defaultScopes: ["User.Read"] }, h.ports);
    expect(h.steps).toEqual(["signOut u1@contoso.test", "signOut u2@contoso.test", "save", "reload"]);
    expect(saved).toMatchObject({ signedOut: 2, grantsUpdated: 0 });
  });

  it("new scopes alone sign nobody out", async () => {
    const h = harness();
    await saveWithChange({ authority: A, clientId: OLD, defaultScopes: ["Mail.Read"] }, h.ports);
    expect(h.steps).toEqual(["save", "reload"]);
  });

  it("a refused form undoes nothing", async () => {
    const h = harness();
    await expect(saveWithChange({ authority: A, clientId: "my-app", defaultScopes: ["User.Read"] }, h.ports)).rejects.toMatchObject({ code: "config_error", fields: { clientId: "bad" } });
    expect(h.steps).toEqual([]);
  });

  it("a client ID set by policy does not change, so nobody is signed out", async () => {
    const h = harness({ managed: ["clientId"] });
    const saved = await saveWithChange({ authority: A, clientId: NEW, defaultScopes: ["User.Read"] }, h.ports);
    expect(h.steps).toEqual(["save", "reload"]);
    expect(saved.clientId).toBe(OLD);
  });
});
