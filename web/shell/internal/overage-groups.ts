import { AuthShellError } from "../../../shared/errors.js";

/** Where the Graph lookup of an overage user's groups stands. */
export type GroupsResolution = "pending" | "resolved" | "failed";

export interface OverageGroupsDeps {
  /** The shell's `authFetch`: the resilient path (Retry-After gate, backoff, one CAE retry). */
  fetch: (url: string, init: { method: "POST"; scopes: string[]; headers: Record<string, string>; body: string }) => Promise<Response>;
  /** e.g. `https://graph.microsoft.com` (no trailing slash). */
  graphUrl: string;
  scopes: string[];
  /** Told whenever a lookup starts, ends or fails (the shell emits an event, which notifies). */
  onChange: (type: "groups.resolving" | "groups.resolved" | "groups.failed", message: string) => void;
}

interface Lookup {
  account: string;
  promise: Promise<string[]>;
  groups?: string[];
  error?: AuthShellError;
}

/**
 * Groups overage: when a user is in more groups than fit in the ID token, Entra leaves them out and
 * the app must ask Microsoft Graph. One `POST /v1.0/me/getMemberObjects` per account and session
 * (`securityEnabledOnly`, as the token's `groups` claim lists security groups): its answer is kept in
 * memory only, a failure stays until `resolve` is called again, and a user whose groups fit in the
 * token never causes a call (the shell only asks under overage).
 */
export class OverageGroups {
  private lookup?: Lookup;

  constructor(private readonly deps: OverageGroupsDeps) {}

  /** The account's groups from Graph: the lookup in flight or done, or a new one (also after a failure). */
  resolve(account: string): Promise<string[]> {
    const current = this.lookup;
    if (current && current.account === account && current.error === undefined) return current.promise;
    // Recorded before the request starts: anything it notifies synchronously sees the lookup begun.
    const lookup: Lookup = { account, promise: Promise.resolve([]) };
    this.lookup = lookup;
    this.deps.onChange("groups.resolving", "Asking Microsoft Graph for the groups that did not fit in the ID token");
    lookup.promise = this.ask().then(
      (groups) => {
        lookup.groups = groups;
        this.deps.onChange("groups.resolved", `Read ${groups.length} group(s) from Microsoft Graph (groups overage)`);
        return groups;
      },
      (error: unknown) => {
        lookup.error = AuthShellError.from(error);
        this.deps.onChange("groups.failed", lookup.error.message);
        throw lookup.error;
      },
    );
    return lookup.promise;
  }

  /** Whether a lookup for `account` was ever started (the shell starts one by itself only once). */
  started(account: string): boolean {
    return this.lookup?.account === account;
  }

  /** The state for `account`, or undefined when no lookup for it was started. */
  view(account: string): { resolution: GroupsResolution; groups: string[]; error?: string } | undefined {
    const lookup = this.lookup;
    if (lookup?.account !== account) return undefined;
    if (lookup.groups) return { resolution: "resolved", groups: lookup.groups };
    if (lookup.error) return { resolution: "failed", groups: [], error: lookup.error.message };
    return { resolution: "pending", groups: [] };
  }

  /** Sign-out: forget the answer (the next account asks again). */
  clear(): void {
    this.lookup = undefined;
  }

  private async ask(): Promise<string[]> {
    const response = await this.deps.fetch(`${this.deps.graphUrl}/v1.0/me/getMemberObjects`, {
      method: "POST",
      scopes: this.deps.scopes,
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ securityEnabledOnly: true }),
    });
    const body: unknown = await response.json().catch(() => undefined);
    if (!response.ok) {
      const code = graphErrorCode(body);
      const permission = response.status === 401 || response.status === 403;
      throw new AuthShellError(
        permission ? "consent_required" : "invalid_response",
        permission
          ? `Microsoft Graph refused to list your groups (HTTP ${response.status}${code ? ` ${code}` : ""}); the app needs the ${this.deps.scopes.join(" ")} permission. Sign in again to grant it, or ask your administrator.`
          : `Microsoft Graph could not list your groups (HTTP ${response.status}${code ? ` ${code}` : ""}). Reload the page to try again.`,
      );
    }
    const value = (body as { value?: unknown } | undefined)?.value;
    if (!Array.isArray(value) || !value.every((id): id is string => typeof id === "string")) {
      throw new AuthShellError("invalid_response", "Microsoft Graph's list of your groups could not be read. Reload the page to try again.");
    }
    return value;
  }
}

function graphErrorCode(body: unknown): string | undefined {
  const code = (body as { error?: { code?: unknown } } | undefined)?.error?.code;
  return typeof code === "string" ? code.slice(0, 80) : undefined;
}

/**
 * Microsoft Graph's root for an authority: the national clouds' own Graph, else (an emulator or a
 * test IdP, which serve the Graph routes beside their own) the authority's origin.
 */
export function graphUrlFor(authority: string): string {
  const url = new URL(authority);
  const byLoginHost: Record<string, string> = {
    "login.microsoftonline.com": "https://graph.microsoft.com",
    "login.microsoft.com": "https://graph.microsoft.com",
    "login.microsoftonline.us": "https://graph.microsoft.us",
    "login.partner.microsoftonline.cn": "https://microsoftgraph.chinacloudapi.cn",
    "login.chinacloudapi.cn": "https://microsoftgraph.chinacloudapi.cn",
  };
  return byLoginHost[url.hostname.toLowerCase()] ?? url.origin;
}
