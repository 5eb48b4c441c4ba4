import { describe, expect, it } from "vitest";
import type { AccountInfo, AuthenticationResult, IPublicClientApplication, SilentRequest } from "@azure/msal-browser";
import { BRIDGE_READY_EVENT } from "../../../shared/protocol/naa-channel.js";
import { InProcessLock } from "../../../shared/resilience/in-process-lock.js";
import { MemoryStore } from "../../../shared/storage/memory-store.js";
import { FakeClock, flushMicrotasks } from "../../../e2e/support/unit/fake-clock.js";
import { resolveShellConfig } from "./config.js";
import { createAuthShellOn } from "./create-auth-shell.js";
import { ShellAuth } from "./shell-auth.js";
import type { ShellPlatform } from "./shell-platform.js";
import type { ShellClients } from "./shell-msal-client.js";

const ACCOUNT = { homeAccountId: "uid.tid", username: "adele@contoso.test", tenantId: "tid", environment: "login.test", localAccountId: "uid" } as AccountInfo;

/** A fake MSAL client: an account list and a silent call that answers from `silent` (or fails). */
function fakePca(options: { accounts?: AccountInfo[]; silent?: () => Promise<AuthenticationResult> } = {}) {
  let active: AccountInfo | null = null;
  const accounts = [...(options.accounts ?? [])];
  const silentRequests: SilentRequest[] = [];
  const pca = {
    getActiveAccount: () => active,
    getAllAccounts: () => accounts,
    setActiveAccount: (account: AccountInfo | null) => (active = account),
    acquireTokenSilent: (request: SilentRequest) => {
      silentRequests.push(request);
      return options.silent ? options.silent() : Promise.reject(new Error("no silent token in this fake"));
    },
  } as unknown as IPublicClientApplication;
  return { pca, silentRequests };
}

function tokenResult(): AuthenticationResult {
  return {
    accessToken: "at-value",
    account: ACCOUNT,
    scopes: ["User.Read"],
    expiresOn: new Date(Date.UTC(2026, 0, 1, 1)),
    fromCache: false,
  } as unknown as AuthenticationResult;
}

function harness(options: { bridgeAtLoad?: boolean; standaloneAccounts?: AccountInfo[]; bridgedSilent?: () => Promise<AuthenticationResult>; useExtension?: boolean } = {}) {
  const target = new EventTarget();
  let bridge = options.bridgeAtLoad === true;
  const standalone = fakePca({ accounts: options.standaloneAccounts ?? [] });
  const bridged = fakePca({ silent: options.bridgedSilent ?? (async () => tokenResult()) });
  let bridgedCreated = 0;
  const clients: ShellClients = {
    create: async () => (bridge ? { pca: bridged.pca, source: "extension" } : { pca: standalone.pca, source: "standalone" }),
    createBridged: async () => {
      bridgedCreated++;
      return bridge ? bridged.pca : undefined;
    },
    hasBridge: () => bridge,
    bridgeTarget: target,
  };
  const clock = new FakeClock();
  const platform: ShellPlatform = {
    clock,
    http: { send: () => Promise.reject(new Error("no IdP in this test")) },
    random: { bytes: (n) => new Uint8Array(n), float: () => 0.5 },
    store: new MemoryStore(),
    lock: new InProcessLock(),
    records: new MemoryStore(),
  };
  const config = resolveShellConfig(
    { clientId: "2ffc5f25-9392-442a-93ff-be195186c310", authority: "https://login.test/contoso.test", scopes: ["User.Read"], ...(options.useExtension === false ? { useExtension: false } : {}) },
    "https://app.test/",
  );
  /** What the MAIN-world bridge does: define the bridge, then announce it. */
  const arrive = () => {
    bridge = true;
    target.dispatchEvent(new Event(BRIDGE_READY_EVENT));
  };
  return { clients, platform, config, arrive, standalone, bridged, bridgedCreated: () => bridgedCreated };
}

const eventTypes = (shell: ShellAuth) => shell.events.recent().map((e) => e.type);

describe("ShellAuth when the extension's bridge arrives after load", () => {
  it("switches to extension mode and signs in silently through the bridge, no prompt", async () => {
    const h = harness();
    const core = await ShellAuth.create(h.config, h.platform, h.clients);
    expect(core.source).toBe("standalone");
    let notified = 0;
    core.subscribe(() => notified++);

    h.arrive();
    await flushMicrotasks();

    expect(core.source).toBe("extension");
    expect(core.account()?.username).toBe(ACCOUNT.username);
    // Silent through the bridge: no account (the broker knows it), the configured scopes.
    expect(h.bridged.silentRequests).toEqual([{ scopes: ["User.Read"] }]);
    expect(h.standalone.silentRequests).toEqual([]);
    expect(eventTypes(core)).toEqual(expect.arrayContaining(["bridge.mode_changed", "account.signed_in"]));
    expect(core.tokenInfo().map((t) => t.scopes)).toEqual([["User.Read"]]);
    expect(notified).toBeGreaterThan(0);
  });

  it("shows the new mode on the public shell: shell.mode, status(), the event log and subscribers", async () => {
    const h = harness();
    const shell = await createAuthShellOn(h.config, h.platform, h.clients);
    expect(shell.mode).toBe("standalone");
    expect(shell.getAccount()).toBeNull();
    let notified = 0;
    shell.subscribe(() => notified++);
    h.arrive();
    await flushMicrotasks();
    expect(shell.mode).toBe("extension");
    const status = shell.status();
    expect(status.mode).toBe("extension");
    expect(status.account?.username).toBe(ACCOUNT.username);
    expect(status.events.map((e) => e.type)).toContain("bridge.mode_changed");
    expect(JSON.stringify(status)).not.toContain("at-value");
    expect(notified).toBeGreaterThan(0);
    expect((await shell.getToken({ scopes: ["User.Read"] })).source).toBe("extension");
  });

  it("catches a bridge that arrived between the load check and the listener (no event seen)", async () => {
    const h = harness();
    let calls = 0;
    // The first check (create) sees no bridge; by the time the watcher looks, it is there.
    const clients: ShellClients = {
      ...h.clients,
      create: async () => ({ pca: h.standalone.pca, source: "standalone" }),
      hasBridge: () => ++calls > 0,
      createBridged: async () => h.bridged.pca,
    };
    const core = await ShellAuth.create(h.config, h.platform, clients);
    await flushMicrotasks();
    expect(core.source).toBe("extension");
  });

  it("stays standalone while a standalone account is signed in (no switch mid-session)", async () => {
    const h = harness({ standaloneAccounts: [ACCOUNT] });
    const core = await ShellAuth.create(h.config, h.platform, h.clients);
    h.arrive();
    await flushMicrotasks();
    expect(core.source).toBe("standalone");
    expect(h.bridgedCreated()).toBe(0);
    expect(eventTypes(core)).toContain("bridge.arrived");
  });

  it("switches but stays signed out, with an event, when the broker has no session for the page", async () => {
    const h = harness({ bridgedSilent: () => Promise.reject(Object.assign(new Error("no account"), { errorCode: "no_account_error" })) });
    const core = await ShellAuth.create(h.config, h.platform, h.clients);
    h.arrive();
    await flushMicrotasks();
    expect(core.source).toBe("extension");
    expect(core.account()).toBeNull();
    expect(eventTypes(core)).toEqual(expect.arrayContaining(["bridge.mode_changed", "token.failed"]));
    expect(eventTypes(core)).not.toContain("account.signed_in");
  });

  it("stays standalone, with an event, when MSAL cannot use the bridge after all", async () => {
    const h = harness();
    const core = await ShellAuth.create(h.config, h.platform, { ...h.clients, createBridged: async () => undefined });
    h.arrive();
    await flushMicrotasks();
    expect(core.source).toBe("standalone");
    expect(eventTypes(core)).toContain("bridge.switch_failed");
  });

  it("does not watch with useExtension: false, and switches only once", async () => {
    const off = harness({ useExtension: false });
    const optedOut = await ShellAuth.create(off.config, off.platform, off.clients);
    off.arrive();
    await flushMicrotasks();
    expect(optedOut.source).toBe("standalone");
    expect(off.bridgedCreated()).toBe(0);

    const h = harness();
    await ShellAuth.create(h.config, h.platform, h.clients);
    h.arrive();
    h.arrive();
    await flushMicrotasks();
    expect(h.bridgedCreated()).toBe(1);
  });

  it("does not watch when the bridge was there at load", async () => {
    const h = harness({ bridgeAtLoad: true });
    const core = await ShellAuth.create(h.config, h.platform, h.clients);
    h.arrive();
    await flushMicrotasks();
    expect(core.source).toBe("extension");
    expect(h.bridgedCreated()).toBe(0);
  });
});
