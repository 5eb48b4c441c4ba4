/**
 * The broker's configuration (authority, client ID, default scopes): emulator defaults, overridden by
 * what the user saved in the options page, overridden by enterprise policy (chrome.storage.managed):
 * policy-set fields are locked.
 *
 * Reading the policy can take seconds at worker start (2.8–4.9 s measured with no policy at all),
 * and the first token after a browser restart waited on it. The broker's settings therefore wait for
 * the policy only briefly (POLICY_WAIT_MS); past that they use the last policy this extension saw
 * (persisted in chrome.storage.local; none at first) and, when the real policy arrives and differs,
 * persist it and tell the listeners (the worker reloads the broker), so policy wins once known.
 * The options page waits for the real policy: it shows which fields are locked.
 */
import {
  EMULATOR_CLIENT_ID,
  EMULATOR_DEFAULT_URL,
  EMULATOR_TENANT_ID,
  EXTENSION_REDIRECT_URI,
  GRAPH_SCOPE_USER_READ,
} from "../../shared/config/emulator-defaults.js";
import { AuthShellError } from "../../shared/errors.js";
import type { ConfigView, ExtensionConfig } from "../../shared/protocol/views.js";

export type { ConfigView, ExtensionConfig };

const CONFIG_STORAGE_KEY = "config";

const DEFAULT_CONFIG: ExtensionConfig = {
  authority: `${EMULATOR_DEFAULT_URL}/${EMULATOR_TENANT_ID}`,
  clientId: EMULATOR_CLIENT_ID,
  defaultScopes: [GRAPH_SCOPE_USER_READ],
};

/** The redirect URI launchWebAuthFlow intercepts: https://<extension-id>.chromiumapp.org/. */
export function redirectUri(): string {
  try {
    return chrome.identity.getRedirectURL();
  } catch {
    return EXTENSION_REDIRECT_URI;
  }
}

function pickConfig(value: unknown): Partial<ExtensionConfig> {
  if (!value || typeof value !== "object") return {};
  const v = value as Record<string, unknown>;
  const out: Partial<ExtensionConfig> = {};
  if (typeof v.authority === "string" && v.authority) out.authority = v.authority;
  if (typeof v.clientId === "string" && v.clientId) out.clientId = v.clientId;
  const scopes = v.defaultScopes ?? v.scopes;
  if (Array.isArray(scopes) && scopes.every((s) => typeof s === "string")) out.defaultScopes = splitScopes(scopes.join(" "));
  else if (typeof scopes === "string") out.defaultScopes = splitScopes(scopes);
  return out;
}

function splitScopes(text: string): string[] {
  return [...new Set(text.split(/[\s,]+/).filter(Boolean))];
}

/** Validates and normalises a configuration the user typed; throws `config_error`. */
function normaliseConfig(input: Partial<ExtensionConfig>): ExtensionConfig {
  const merged = { ...DEFAULT_CONFIG, ...pickConfig(input) };
  let authority: URL;
  try {
    authority = new URL(merged.authority);
  } catch {
    throw new AuthShellError("config_error", "The authority must be a URL such as https://login.microsoftonline.com/<tenant>");
  }
  if (authority.protocol !== "https:") throw new AuthShellError("config_error", "The authority must use https");
  if (!/^[\w.-]{1,128}$/.test(merged.clientId)) throw new AuthShellError("config_error", "The client ID is not valid");
  if (merged.defaultScopes.length === 0) throw new AuthShellError("config_error", "At least one default scope is needed");
  return { authority: authority.href.replace(/\/+$/, ""), clientId: merged.clientId, defaultScopes: merged.defaultScopes };
}

/** How long the broker's settings wait for chrome.storage.managed before using the last known policy. */
export const POLICY_WAIT_MS = 300;
const LAST_POLICY_KEY = "managedPolicy";
const POLICY_KEYS = ["authority", "clientId", "defaultScopes", "scopes"];

export interface ConfigPorts {
  /** chrome.storage.managed.get for the policy keys; may be slow, may reject (no managed storage). */
  readManaged: () => Promise<unknown>;
  local: {
    get(key: string): Promise<Record<string, unknown>>;
    set(items: Record<string, unknown>): Promise<void>;
  };
  /** The timer that bounds the policy wait (injectable so tests drive it). */
  setTimer: (callback: () => void, ms: number) => void;
  redirectUri: () => string;
}

export interface LoadOptions {
  /** Wait for the real policy however long it takes (the options page); default false. */
  waitForPolicy?: boolean;
}

export interface ConfigSource {
  load(options?: LoadOptions): Promise<ConfigView>;
  save(input: Partial<ExtensionConfig>): Promise<ConfigView>;
  /** Called when the real policy differs from one load() already served (read late). */
  onPolicyChanged(listener: () => void): void;
  /** Failures that change nothing served but must not vanish (the last known policy not read or kept). */
  onError(listener: (message: string) => void): void;
}

const samePolicy = (a: Partial<ExtensionConfig>, b: Partial<ExtensionConfig>) =>
  JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort());

export function createConfigSource(ports: ConfigPorts): ConfigSource {
  const policyListeners = new Set<() => void>();
  const errorListeners = new Set<(message: string) => void>();
  let policy: Promise<Partial<ExtensionConfig>> | undefined;
  let known: Partial<ExtensionConfig> | undefined; // The real policy, once read.
  let served: Partial<ExtensionConfig> | undefined; // The policy load() last merged in.
  let lastKnown: Promise<Partial<ExtensionConfig>> | undefined;

  const error = (message: string, cause: unknown) => {
    for (const listener of [...errorListeners]) listener(`${message}: ${AuthShellError.from(cause).message}`);
  };

  const readLastKnown = () =>
    (lastKnown ??= ports.local.get(LAST_POLICY_KEY).then(
      (r) => pickConfig(r[LAST_POLICY_KEY]),
      (cause: unknown) => {
        error("Could not read the last known enterprise policy", cause);
        return {};
      },
    ));

  /** The settings served were built on a stale policy: tell the listeners (once per difference). */
  const checkServed = () => {
    if (!known || !served || samePolicy(known, served)) return;
    served = known;
    for (const listener of [...policyListeners]) listener();
  };

  /** One managed read per worker, shared by every load(). */
  const readPolicy = () =>
    (policy ??= (async () => {
      let read: Partial<ExtensionConfig>;
      try {
        read = pickConfig(await ports.readManaged());
      } catch {
        read = {}; // No policy (or no managed storage in this browser).
      }
      known = read;
      checkServed();
      if (!samePolicy(read, await readLastKnown())) {
        lastKnown = Promise.resolve(read);
        await ports.local.set({ [LAST_POLICY_KEY]: read }).catch((cause: unknown) => error("Could not remember the enterprise policy", cause));
      }
      return read;
    })());

  async function currentPolicy(wait: boolean): Promise<Partial<ExtensionConfig>> {
    const real = readPolicy();
    if (known || wait) return real;
    const timedOut = new Promise<undefined>((resolve) => ports.setTimer(() => resolve(undefined), POLICY_WAIT_MS));
    return (await Promise.race([real, timedOut])) ?? (known ?? (await readLastKnown()));
  }

  async function load(options: LoadOptions = {}): Promise<ConfigView> {
    const [provisional, stored] = await Promise.all([
      currentPolicy(options.waitForPolicy === true),
      ports.local.get(CONFIG_STORAGE_KEY).then((r) => pickConfig(r[CONFIG_STORAGE_KEY])),
    ]);
    const managed = known ?? provisional; // The real policy may have arrived while the user's settings were read.
    served = managed;
    const config = normaliseConfig({ ...DEFAULT_CONFIG, ...stored, ...managed });
    return { ...config, redirectUri: ports.redirectUri(), managed: Object.keys(managed) as Array<keyof ExtensionConfig> };
  }

  return {
    load,
    async save(input) {
      const config = normaliseConfig(input);
      await ports.local.set({ [CONFIG_STORAGE_KEY]: config });
      return load({ waitForPolicy: true });
    },
    onPolicyChanged(listener) {
      policyListeners.add(listener);
    },
    onError(listener) {
      errorListeners.add(listener);
    },
  };
}

let chromeSource: ConfigSource | undefined;

/** The worker's configuration, read from chrome.storage (one policy read per worker). */
export function chromeConfig(): ConfigSource {
  return (chromeSource ??= createConfigSource({
    readManaged: () => chrome.storage.managed.get(POLICY_KEYS),
    local: chrome.storage.local,
    setTimer: (callback, ms) => void setTimeout(callback, ms),
    redirectUri,
  }));
}

/** The configuration as the options page shows it: waits for the real policy (locked fields). */
export function loadConfig(): Promise<ConfigView> {
  return chromeConfig().load({ waitForPolicy: true });
}

export function saveConfig(input: Partial<ExtensionConfig>): Promise<ConfigView> {
  return chromeConfig().save(input);
}
