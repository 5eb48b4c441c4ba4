import {
  PublicClientApplication,
  createNestablePublicClientApplication,
  type IPublicClientApplication,
} from "@azure/msal-browser";
import type { Configuration } from "@azure/msal-browser";
import { BRIDGE_READY_EVENT } from "../../../shared/protocol/naa-channel.js";
import type { ResolvedShellConfig } from "./config.js";
import type { ResilientNetworkClient } from "./msal-network-client.js";
import { SIGN_IN_WINDOW_TIMEOUT_MS } from "./popup-sign-in.js";

/** Where the shell's tokens come from: the extension's nested-app-auth bridge, or MSAL on its own. */
export type TokenSource = "extension" | "standalone";

function hasBridge(): boolean {
  return typeof window !== "undefined" && "nestedAppAuthBridge" in window;
}

/** Where the bridge announces itself (the page's `window`; a plain EventTarget in unit tests). */
interface BridgeTarget {
  addEventListener(type: string, listener: () => void): void;
  removeEventListener(type: string, listener: () => void): void;
}

/**
 * How the shell gets its MSAL client and learns of a bridge that arrives after load (a port, so the
 * late switch can be unit-tested without a browser).
 */
export interface ShellClients {
  create(config: ResolvedShellConfig, network: ResilientNetworkClient): Promise<{ pca: IPublicClientApplication; source: TokenSource }>;
  /** The nestable client over the bridge, or undefined if MSAL found none after all. */
  createBridged(config: ResolvedShellConfig, network: ResilientNetworkClient): Promise<IPublicClientApplication | undefined>;
  hasBridge(): boolean;
  /** undefined outside a page: nothing to watch. */
  bridgeTarget: BridgeTarget | undefined;
}

export const browserShellClients: ShellClients = {
  create: (config, network) => createShellMsalClient(config, network),
  async createBridged(config, network) {
    const { pca, source } = await createShellMsalClient(config, network);
    return source === "extension" ? pca : undefined;
  },
  hasBridge,
  bridgeTarget: typeof window !== "undefined" ? window : undefined,
};

/**
 * Calls `onReady` once when the bridge is (or becomes) present: at once if it is there already (it
 * may have arrived between the load-time check and this call), else at its ready event. Returns a
 * function that stops watching.
 */
export function watchForBridge(clients: Pick<ShellClients, "hasBridge" | "bridgeTarget">, onReady: () => void): () => void {
  const target = clients.bridgeTarget;
  if (!target) return () => undefined;
  let done = false;
  const fire = () => {
    if (done || !clients.hasBridge()) return;
    done = true;
    target.removeEventListener(BRIDGE_READY_EVENT, fire);
    onReady();
  };
  target.addEventListener(BRIDGE_READY_EVENT, fire);
  queueMicrotask(fire);
  return () => {
    done = true;
    target.removeEventListener(BRIDGE_READY_EVENT, fire);
  };
}

/**
 * Entra's client capability for Continuous Access Evaluation, exactly as it appears in
 * `xms_cc` ("cp1"): a token requested with it is a CAE token, which the resource revokes at once
 * (a 401 claims challenge) instead of honouring it until expiry.
 */
export const CLIENT_CAPABILITIES = ["cp1"];

/** MSAL's configuration for the shell (exported for its unit test). */
export function msalConfiguration(config: ResolvedShellConfig, network: ResilientNetworkClient, bridged: boolean): Configuration {
  return {
    auth: {
      clientId: config.clientId,
      authority: config.authority,
      knownAuthorities: [new URL(config.authority).host],
      redirectUri: config.redirectUri,
      clientCapabilities: [...CLIENT_CAPABILITIES],
    },
    // With the extension the broker is the cache (encrypted, shared by every app): keep no tokens in
    // page storage. Standalone, tabs share MSAL's localStorage cache so one refresh serves them all.
    cache: { cacheLocation: bridged ? "memoryStorage" : "localStorage" },
    // MSAL waits for the sign-in window's answer 60 s by default, then fails with a bare "timed_out":
    // wait a little longer than the shell, whose own timeout closes the window and says so.
    system: { networkClient: network, popupBridgeTimeout: SIGN_IN_WINDOW_TIMEOUT_MS + 30_000 },
  };
}

/**
 * MSAL's nestable client for the shell: it talks to the extension's bridge when the page has one
 * (`source` "extension"), else runs standard MSAL flows whose IdP requests go through `network`.
 */
async function createShellMsalClient(
  config: ResolvedShellConfig,
  network: ResilientNetworkClient,
): Promise<{ pca: IPublicClientApplication; source: TokenSource }> {
  let source = "standalone" as TokenSource;
  const options = msalConfiguration(config, network, config.useExtension && hasBridge());
  // The nestable client talks to the bridge when it finds one (and says so through the factory);
  // `useExtension: false` opts out of looking.
  if (!config.useExtension) {
    const pca = new PublicClientApplication(options);
    await pca.initialize();
    return { pca, source };
  }
  const pca = await createNestablePublicClientApplication(
    options,
    undefined,
    (configuration, controller) => {
      source = "extension";
      return new PublicClientApplication(configuration, controller);
    },
  );
  return { pca, source };
}
