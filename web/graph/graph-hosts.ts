import { AuthShellError } from "../../shared/errors.js";

/**
 * Microsoft Graph's hosts in the global service and the national clouds — the list both Graph SDKs
 * allow by default (graph-client's `GRAPH_URLS`, msgraph-sdk-core's token provider).
 */
export const GRAPH_HOSTS: readonly string[] = [
  "graph.microsoft.com",
  "graph.microsoft.us",
  "dod-graph.microsoft.us",
  "graph.microsoft.de",
  "microsoftgraph.chinacloudapi.cn",
  "canary.graph.microsoft.com",
];

/**
 * Validates an allow-list of bare host names (as Kiota's `AllowedHostsValidator` takes them: no
 * scheme, no port, no path; a leading "." allows the subdomains). An empty list is refused: Kiota
 * reads it as "every host", which would hand the token to anyone a request URL names.
 */
export function normaliseAllowedHosts(hosts: readonly string[]): string[] {
  if (hosts.length === 0) throw new AuthShellError("config_error", "The list of hosts that may receive Graph tokens is empty; name at least one host.");
  return hosts.map((host) => {
    const bare = host.trim().toLowerCase();
    if (!/^\.?[a-z0-9-]+(\.[a-z0-9-]+)*$/.test(bare)) {
      throw new AuthShellError("config_error", `"${host.slice(0, 100)}" is not a bare host name; give hosts like graph.microsoft.com, without scheme, port or path.`);
    }
    return bare;
  });
}

/**
 * Whether a token may be attached to `url`: an absolute https URL (http only for loopback hosts),
 * no user info (it can disguise the host), and a host name on the list. Ports do not matter, as in
 * both SDKs' checks.
 */
export function isAllowedUrl(url: string | undefined, allowedHosts: readonly string[]): boolean {
  if (!url) return false;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.username || parsed.password) return false;
  const host = parsed.hostname.toLowerCase();
  const loopback = host === "localhost" || host === "127.0.0.1" || host === "[::1]";
  if (parsed.protocol !== "https:" && !(parsed.protocol === "http:" && loopback)) return false;
  return allowedHosts.some((allowed) => (allowed.startsWith(".") ? host.endsWith(allowed) : host === allowed));
}
