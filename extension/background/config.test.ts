import { describe, expect, it } from "vitest";
import { POLICY_WAIT_MS, createConfigSource, type ConfigPorts } from "./config.js";

function deferred<T>() {
  let resolve: (value: T) => void = () => undefined;
  let reject: (error: unknown) => void = () => undefined;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Lets every queued promise callback run (no time passes: the timer is ours). */
const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

const USER = { authority: "https://login.microsoftonline.com/user.example", clientId: "11111111-1111-4111-8111-111111111111", defaultScopes: ["User.Read"] };
const POLICY = { authority: "https://login.microsoftonline.com/policy.example", clientId: "22222222-2222-4222-8222-222222222222" };

function harness(initial: Record<string, unknown> = {}, userConfigRead: Promise<void> = Promise.resolve()) {
  const data: Record<string, unknown> = { config: USER, ...initial };
  const managed = deferred<unknown>();
  const timers: Array<{ callback: () => void; ms: number }> = [];
  let managedReads = 0;
  const ports: ConfigPorts = {
    readManaged: () => {
      managedReads++;
      return managed.promise;
    },
    local: {
      get: async (key) => {
        if (key === "config") await userConfigRead;
        return key in data ? { [key]: structuredClone(data[key]) } : {};
      },
      set: async (items) => void Object.assign(data, structuredClone(items)),
    },
    setTimer: (callback, ms) => void timers.push({ callback, ms }),
    redirectUri: () => "https://ext.chromiumapp.org/",
  };
  const source = createConfigSource(ports);
  const errors: string[] = [];
  source.onError((message) => errors.push(message));
  let policyChanges = 0;
  source.onPolicyChanged(() => policyChanges++);
  return {
    source,
    data,
    errors,
    managed,
    timers,
    managedReads: () => managedReads,
    policyChanges: () => policyChanges,
    /** The clock reaches the policy wait. */
    elapse: () => {
      for (const t of timers.splice(0)) if (t.ms <= POLICY_WAIT_MS) t.callback();
    },
  };
}

describe("config source: a slow enterprise policy", () => {
  it("does not hold the broker's settings: after the wait they are served, and a late differing policy wins", async () => {
    const h = harness();
    const first = h.source.load();
    await flush();
    h.elapse();
    const served = await first; // Resolves although chrome.storage.managed never answered.
    expect(served.authority).toBe(USER.authority);
    expect(served.managed).toEqual([]);
    expect(h.policyChanges()).toBe(0);

    h.managed.resolve(POLICY);
    await flush();
    expect(h.policyChanges()).toBe(1); // The worker reloads the broker on this.
    const next = await h.source.load();
    expect(next.authority).toBe(POLICY.authority);
    expect(next.clientId).toBe(POLICY.clientId);
    expect(next.defaultScopes).toEqual(USER.defaultScopes); // Fields the policy does not set stay the user's.
    expect(next.managed.sort()).toEqual(["authority", "clientId"]);
    expect(h.data.managedPolicy).toEqual(POLICY); // Remembered for the next worker.
    expect(h.managedReads()).toBe(1);
  });

  it("uses the policy a previous worker saw while the real one is late; no reload when it is unchanged", async () => {
    const h = harness({ managedPolicy: POLICY });
    const first = h.source.load();
    await flush();
    h.elapse();
    expect((await first).authority).toBe(POLICY.authority);
    h.managed.resolve(POLICY);
    await flush();
    expect(h.policyChanges()).toBe(0);
  });

  it("a policy removed since the last worker: the late answer reloads onto the user's settings", async () => {
    const h = harness({ managedPolicy: POLICY });
    const first = h.source.load();
    await flush();
    h.elapse();
    expect((await first).authority).toBe(POLICY.authority);
    h.managed.reject(new Error("managed storage unavailable"));
    await flush();
    expect(h.policyChanges()).toBe(1);
    expect((await h.source.load()).authority).toBe(USER.authority);
    expect(h.data.managedPolicy).toEqual({});
  });

  it("a policy that arrives while the user's settings are still being read is the one served", async () => {
    const userRead = deferred<void>();
    const h = harness({}, userRead.promise);
    const first = h.source.load();
    await flush();
    h.elapse(); // The wait ends with no policy known ...
    await flush();
    h.managed.resolve(POLICY); // ... then it arrives before the user's settings do.
    await flush();
    userRead.resolve();
    expect((await first).authority).toBe(POLICY.authority);
    expect(h.policyChanges()).toBe(0); // Nothing stale was served, so nothing to reload.
  });

  it("a policy that answers within the wait is used at once, over the user's settings", async () => {
    const h = harness();
    h.managed.resolve(POLICY);
    const served = await h.source.load(); // No timer fired.
    expect(served.authority).toBe(POLICY.authority);
    expect(h.policyChanges()).toBe(0);
  });

  it("the options page waits for the real policy (it shows which fields are locked)", async () => {
    const h = harness();
    let settled = false;
    const view = h.source.load({ waitForPolicy: true }).then((v) => {
      settled = true;
      return v;
    });
    await flush();
    h.elapse();
    await flush();
    expect(settled).toBe(false);
    h.managed.resolve(POLICY);
    expect((await view).managed.sort()).toEqual(["authority", "clientId"]);
  });
});

describe("config source: nothing invalid is stored or served", () => {
  it("save refuses a bad form with a sentence key per field and stores nothing", async () => {
    const h = harness();
    h.managed.resolve({});
    const error = await h.source.save({ authority: "https://login.microsoftonline.com", clientId: "my-app", defaultScopes: "!!! ??? <script>" }).catch((e: unknown) => e);
    // Outside Chrome t() answers the message key: the sentence itself is tested in shared/config.
    expect(error).toMatchObject({
      code: "config_error",
      fields: { authority: "options_authority_no_tenant", clientId: "options_client_id_not_guid", defaultScopes: "options_scopes_invalid" },
    });
    expect(h.data.config).toEqual(USER);
  });

  it("save stores the normalised form and says what it changed", async () => {
    const h = harness();
    h.managed.resolve({});
    const { view, notes } = await h.source.save({ authority: "https://login.microsoftonline.com/contoso.com/v2.0", clientId: POLICY.clientId.toUpperCase(), defaultScopes: "User.Read Mail.Read" });
    expect(h.data.config).toEqual({ authority: "https://login.microsoftonline.com/contoso.com", clientId: POLICY.clientId, defaultScopes: ["User.Read", "Mail.Read"] });
    expect(view.authority).toBe("https://login.microsoftonline.com/contoso.com");
    expect(Object.keys(notes)).toEqual(["authority"]);
  });

  // The cases the shell and the extension once read differently: both now use shared/oidc/authority.ts.
  it.each([
    ["a trailing /v2.0 is dropped", "https://login.microsoftonline.com/contoso.com/v2.0", "https://login.microsoftonline.com/contoso.com"],
    ["http on [::1] (a local emulator)", "http://[::1]:8443/contoso.com", "http://[::1]:8443/contoso.com"],
    ["common", "https://login.microsoftonline.com/common", "https://login.microsoftonline.com/common"],
    ["organizations", "https://login.microsoftonline.com/organizations/", "https://login.microsoftonline.com/organizations"],
  ])("save accepts an authority: %s", async (_case, authority, stored) => {
    const h = harness();
    h.managed.resolve({});
    await h.source.save({ authority, clientId: POLICY.clientId, defaultScopes: "User.Read" });
    expect(h.data.config).toMatchObject({ authority: stored });
  });

  it("save refuses http on a host that is not loopback, and a client ID that is not a GUID", async () => {
    const h = harness();
    h.managed.resolve({});
    const error = await h.source.save({ authority: "http://login.microsoftonline.com/common", clientId: "my-app", defaultScopes: "User.Read" }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "config_error", fields: { authority: "options_authority_not_https", clientId: "options_client_id_not_guid" } });
    expect(h.data.config).toEqual(USER);
  });

  it("an invalid policy field is not applied (nor locked) and the refusal is reported; valid fields still win", async () => {
    const h = harness();
    h.managed.resolve({ authority: "https://example.com/whatever?x=1", clientId: POLICY.clientId });
    const view = await h.source.load({ waitForPolicy: true });
    expect(view.authority).toBe(USER.authority);
    expect(view.clientId).toBe(POLICY.clientId);
    expect(view.managed).toEqual(["clientId"]);
    expect(h.errors.join("\n")).toMatch(/enterprise policy's authority is not used/);
  });

  it("settings stored by an older version that are refused now fall back to the defaults, said once per load", async () => {
    const h = harness({ config: { authority: "https://login.microsoftonline.com", clientId: "my-app", defaultScopes: ["User.Read"] } });
    h.managed.resolve({});
    const view = await h.source.load({ waitForPolicy: true });
    expect(view.clientId).toMatch(/^[0-9a-f-]{36}$/);
    expect(view.authority).toMatch(/^https:\/\/localhost:8443\/[0-9a-f-]{36}$/);
    expect(h.errors.filter((e) => e.startsWith("The saved"))).toHaveLength(2);
  });
});
