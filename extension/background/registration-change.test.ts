import { describe, expect, it } from "vitest";
import type { ExtensionBroker } from "../broker/index.js";
import { AuthShellError } from "../../shared/errors.js";
import type { BrokerEvent } from "../../shared/ports.js";
import { registrationChanged, signOutForNewRegistration } from "./registration-change.js";

const base = { authority: "https://login.microsoftonline.com/contoso.onmicrosoft.com", clientId: "11111111-2222-4333-8444-555555555555" };

/** Only what signOutForNewRegistration uses; the rest throws if called. */
function fakeBroker(accounts: string[], failing: string[] = [], unreadable = false) {
  const signedOut: string[] = [];
  const broker = new Proxy(
    {
      getAccounts: async () => {
        if (unreadable) throw new AuthShellError("config_error", "bad old settings");
        return accounts.map((homeAccountId) => ({ homeAccountId, localAccountId: "", tenantId: "", username: homeAccountId, environment: "" }));
      },
      signOut: async ({ homeAccountId }: { homeAccountId: string }) => {
        if (failing.includes(homeAccountId)) throw new AuthShellError("storage_error", "disk");
        signedOut.push(homeAccountId);
        return { logoutUrl: "" };
      },
    },
    { get: (target, key) => (key in target ? target[key as keyof typeof target] : () => { throw new Error(`unexpected ${String(key)}`); }) },
  ) as unknown as ExtensionBroker;
  return { broker, signedOut };
}

function sink() {
  const list: BrokerEvent[] = [];
  return { list, emit: (e: BrokerEvent) => void list.push(e) };
}

describe("a change of tenant or client ID", () => {
  it("counts as a new registration when the authority or client ID differs (case and trailing slash aside)", () => {
    expect(registrationChanged(base, { ...base, authority: `${base.authority.toUpperCase()}/` })).toBe(false);
    expect(registrationChanged(base, { ...base, clientId: base.clientId.toUpperCase() })).toBe(false);
    expect(registrationChanged(base, { ...base, authority: "https://login.microsoftonline.com/fabrikam.com" })).toBe(true);
    expect(registrationChanged(base, { ...base, clientId: "99999999-2222-4333-8444-555555555555" })).toBe(true);
  });

  it("signs out every account of the old settings and says so in one event", async () => {
    const { broker, signedOut } = fakeBroker(["a.t1", "b.t2"]);
    const events = sink();
    expect(await signOutForNewRegistration(broker, events)).toBe(2);
    expect(signedOut).toEqual(["a.t1", "b.t2"]);
    expect(events.list.map((e) => e.type)).toEqual(["config.accounts_signed_out"]);
  });

  it("reports an account it could not sign out, and old settings it could not read, as events", async () => {
    const partly = fakeBroker(["a.t1", "b.t2"], ["a.t1"]);
    const events = sink();
    expect(await signOutForNewRegistration(partly.broker, events)).toBe(1);
    expect(partly.signedOut).toEqual(["b.t2"]);
    expect(events.list.map((e) => e.type)).toEqual(["config.sign_out_failed", "config.accounts_signed_out"]);
    const unreadable = sink();
    expect(await signOutForNewRegistration(fakeBroker([], [], true).broker, unreadable)).toBe(0);
    expect(unreadable.list.map((e) => e.type)).toEqual(["config.accounts_unread"]);
  });

  it("with nobody signed in there is nothing to say", async () => {
    const events = sink();
    expect(await signOutForNewRegistration(fakeBroker([]).broker, events)).toBe(0);
    expect(events.list).toEqual([]);
  });
});
