/**
 * The broker's configuration (authority, client ID, default scopes): emulator defaults, overridden by
 * enterprise policy (chrome.storage.managed), overridden by what the user saved in the options page
 * — except that policy-set fields are locked.
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

async function readManaged(): Promise<Partial<ExtensionConfig>> {
  try {
    return pickConfig(await chrome.storage.managed.get(["authority", "clientId", "defaultScopes", "scopes"]));
  } catch {
    return {}; // No policy (or no managed storage in this browser).
  }
}

export async function loadConfig(): Promise<ConfigView> {
  const [managed, stored] = await Promise.all([
    readManaged(),
    chrome.storage.local.get(CONFIG_STORAGE_KEY).then((r) => pickConfig(r[CONFIG_STORAGE_KEY])),
  ]);
  const config = normaliseConfig({ ...DEFAULT_CONFIG, ...stored, ...managed });
  return { ...config, redirectUri: redirectUri(), managed: Object.keys(managed) as Array<keyof ExtensionConfig> };
}

export async function saveConfig(input: Partial<ExtensionConfig>): Promise<ConfigView> {
  const config = normaliseConfig(input);
  await chrome.storage.local.set({ [CONFIG_STORAGE_KEY]: config });
  return loadConfig();
}
