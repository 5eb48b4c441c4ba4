import {
  PublicClientApplication,
  createNestablePublicClientApplication,
  type IPublicClientApplication,
} from "@azure/msal-browser";
import type { ShellConfig } from "../config";
import type { ResilientNetworkClient } from "./msal-network-client";

/** Where the shell's tokens come from: the extension's nested-app-auth bridge, or MSAL on its own. */
export type TokenSource = "extension" | "standalone";

function hasBridge(): boolean {
  return typeof window !== "undefined" && "nestedAppAuthBridge" in window;
}

/**
 * MSAL's nestable client for the shell: it talks to the extension's bridge when the page has one
 * (`source` "extension"), else runs standard MSAL flows whose IdP requests go through `network`.
 */
export async function createShellMsalClient(
  config: ShellConfig,
  network: ResilientNetworkClient,
): Promise<{ pca: IPublicClientApplication; source: TokenSource }> {
  let source = "standalone" as TokenSource;
  const authorityHost = new URL(config.authority).host;
  const pca = await createNestablePublicClientApplication(
    {
      auth: {
        clientId: config.clientId,
        authority: config.authority,
        knownAuthorities: [authorityHost],
        redirectUri: config.redirectUri,
        clientCapabilities: ["CP1"],
      },
      // With the extension the broker is the cache (encrypted, shared by every app): keep no tokens in
      // page storage. Standalone, tabs share MSAL's localStorage cache so one refresh serves them all.
      cache: { cacheLocation: hasBridge() ? "memoryStorage" : "localStorage" },
      system: { networkClient: network },
    },
    undefined,
    (configuration, controller) => {
      source = "extension";
      return new PublicClientApplication(configuration, controller);
    },
  );
  return { pca, source };
}
