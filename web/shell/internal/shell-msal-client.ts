import {
  PublicClientApplication,
  createNestablePublicClientApplication,
  type IPublicClientApplication,
} from "@azure/msal-browser";
import type { Configuration } from "@azure/msal-browser";
import type { ResolvedShellConfig } from "./config";
import type { ResilientNetworkClient } from "./msal-network-client";

/** Where the shell's tokens come from: the extension's nested-app-auth bridge, or MSAL on its own. */
export type TokenSource = "extension" | "standalone";

function hasBridge(): boolean {
  return typeof window !== "undefined" && "nestedAppAuthBridge" in window;
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
    system: { networkClient: network },
  };
}

/**
 * MSAL's nestable client for the shell: it talks to the extension's bridge when the page has one
 * (`source` "extension"), else runs standard MSAL flows whose IdP requests go through `network`.
 */
export async function createShellMsalClient(
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
