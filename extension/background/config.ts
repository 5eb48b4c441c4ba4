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
import { EMULATOR_CLIENT_ID, EMULATOR_DEFAULT_URL, EMULATOR_TENANT_ID, GRAPH_SCOPE_USER_READ } from "../../shared/config/defaults.js";
import { EXTENSION_REDIRECT_URI } from "../../shared/config/extension-ids.js";
import { validateAuthority, validateClientId, validateScopes, validateSettings } from "../../shared/config/validate-settings.js";
import { AuthShellError } from "../../shared/errors.js";
import { t } from "../i18n/translate.js";
import type { ConfigView, ExtensionConfig } from "../protocol/views.js";
import { browser } from "../platform/browser-api.js";

export type { ConfigView, ExtensionConfig };

const CONFIG_STORAGE_KEY = "config";

const DEFAULT_CONFIG: ExtensionConfig = {
  authority: `${EMULATOR_DEFAULT_URL}/${EMULATOR_TENANT_ID}`,
  clientId: EMULATOR_CLIENT_ID,
  defaultScopes: [GRAPH_SCOPE_USER_READ],
};

/** The redirect URI launchWebAuthFlow intercepts: https://<extension-id>.chromiumapp.org/. */
function redirectUri(): string {
  try {
    return browser.identity.getRedirectURL();
  } catch {
    return EXTENSION_REDIRECT_URI;
  }
}

/** The raw fields of a stored config, a policy or a message; validated by `validLayer` / `checkConfig`. */
function pickConfig(value: unknown): Record<string, unknown> {
  if (!value || typeof value !== "object") return {};
  const v = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  if (v.authority !== undefined && v.authority !== "") out.authority = v.authority;
  if (v.clientId !== undefined && v.clientId !== "") out.clientId = v.clientId;
  const scopes = v.defaultScopes ?? v.scopes;
  if (scopes !== undefined) out.defaultScopes = scopes;
  return out;
}

const FIELD_CHECKS = {
  authority: (value: unknown) => validateAuthority(value, t),
  clientId: (value: unknown) => validateClientId(value, t),
  defaultScopes: (value: unknown) => validateScopes(value, t),
} as const;

/**
 * The valid fields of one layer (stored settings, enterprise policy); each refused field is left out
 * (the layer below applies) and reported, so a bad policy or an old stored value never reaches the broker.
 */
function validLayer(raw: Record<string, unknown>, onRefused: (field: string, refusal: string) => void): Partial<ExtensionConfig> {
  const out: Partial<ExtensionConfig> = {};
  for (const field of ["authority", "clientId", "defaultScopes"] as const) {
    if (!(field in raw)) continue;
    const result = FIELD_CHECKS[field](raw[field]);
    if (result.ok) (out as Record<string, unknown>)[field] = result.value;
    else onRefused(field, result.refusal);
  }
  return out;
}

/** Validates a configuration the user (or a message) sent; throws `config_error` with a sentence per refused field. */
export function checkConfig(input: unknown): { config: ExtensionConfig; notes: Record<string, string> } {
  const raw = pickConfig(input);
  const result = validateSettings(raw, t);
  if (!result.ok) throw new AuthShellError("config_error", t("options_not_saved"), { fields: result.refusals });
  return { config: result.value, notes: result.notes };
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

interface LoadOptions {
  /** Wait for the real policy however long it takes (the options page); default false. */
  waitForPolicy?: boolean;
}

export interface ConfigSource {
  load(options?: LoadOptions): Promise<ConfigView>;
  /** Validates (see checkConfig) and stores the user's settings; the view after saving and the notes per field. */
  save(input: unknown): Promise<{ view: ConfigView; notes: Record<string, string> }>;
  /** Called when the real policy differs from one load() already served (read late). */
  onPolicyChanged(listener: () => void): void;
  /** Failures that change nothing served but must not vanish (the last known policy not read or kept). */
  onError(listener: (message: string) => void): void;
}

const samePolicy = (a: object, b: object) =>
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
      (r) => validLayer(pickConfig(r[LAST_POLICY_KEY]), () => undefined), // Reported when the real policy is read.
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
        read = validLayer(pickConfig(await ports.readManaged()), (field, refusal) =>
          errorListeners.forEach((listener) => listener(`The enterprise policy's ${field} is not used: ${refusal}`)),
        );
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
      ports.local.get(CONFIG_STORAGE_KEY).then((r) =>
        // Settings stored by an older version that would be refused now: the default applies, and it is said.
        validLayer(pickConfig(r[CONFIG_STORAGE_KEY]), (field, refusal) => errorListeners.forEach((l) => l(`The saved ${field} is not used: ${refusal}`))),
      ),
    ]);
    const managed = known ?? provisional; // The real policy may have arrived while the user's settings were read.
    served = managed;
    const config: ExtensionConfig = { ...DEFAULT_CONFIG, ...stored, ...managed };
    return { ...config, redirectUri: ports.redirectUri(), managed: Object.keys(managed) as Array<keyof ExtensionConfig> };
  }

  return {
    load,
    async save(input) {
      const { config, notes } = checkConfig(input); // Nothing invalid is ever stored.
      await ports.local.set({ [CONFIG_STORAGE_KEY]: config });
      return { view: await load({ waitForPolicy: true }), notes };
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
    readManaged: () => browser.storage.managed.get(POLICY_KEYS),
    local: browser.storage.local,
    setTimer: (callback, ms) => void setTimeout(callback, ms),
    redirectUri,
  }));
}

/** The configuration as the options page shows it: waits for the real policy (locked fields). */
export function loadConfig(): Promise<ConfigView> {
  return chromeConfig().load({ waitForPolicy: true });
}

export function saveConfig(input: unknown): Promise<{ view: ConfigView; notes: Record<string, string> }> {
  return chromeConfig().save(input);
}
