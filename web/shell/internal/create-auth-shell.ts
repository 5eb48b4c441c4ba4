import type { AccountInfo, AuthenticationResult } from "@azure/msal-browser";
import { AuthShellError } from "../../../shared/errors.js";
import { clockedEmitter } from "../../../shared/events.js";
import { readIdTokenClaims } from "../../../shared/oidc/id-token-claims.js";
import { createAuthFetch } from "./auth-fetch.js";
import type { AccessTokenResult, AuthFetchOptions, AuthShell, AuthShellAccount, IdTokenClaimsView } from "./auth-shell-types.js";
import type { ResolvedShellConfig } from "./config.js";
import { describeError } from "./error-text.js";
import { OverageGroups } from "./overage-groups.js";
import { ShellAuth } from "./shell-auth.js";
import type { ShellPlatform } from "./shell-platform.js";
import { CLIENT_CAPABILITIES, type ShellClients } from "./shell-msal-client.js";
import { tenantDomain } from "./tenant-domain.js";

/** Builds the public AuthShell over the core (ShellAuth) on the given ports. */
export async function createAuthShellOn(config: ResolvedShellConfig, platform: ShellPlatform, clients?: ShellClients): Promise<AuthShell> {
  let core: ShellAuth;
  try {
    core = await ShellAuth.create(config, platform, clients);
  } catch (error) {
    throw AuthShellError.from(error, "config_error");
  }
  // When each error was raised, so its wait can count down (describeError).
  const raisedAt = new WeakMap<AuthShellError, number>();
  const track = (error: unknown): AuthShellError => {
    const failure = AuthShellError.from(error);
    if (!raisedAt.has(failure)) raisedAt.set(failure, platform.clock.now());
    return failure;
  };

  const toAccount = (account: AccountInfo | null): AuthShellAccount | null => {
    if (!account) return null;
    const claims = account.idTokenClaims ? readIdTokenClaims(account.idTokenClaims as Record<string, unknown>) : undefined;
    const tenantId = claims?.tenantId ?? (account.tenantId || undefined);
    const domain = tenantDomain(config.tenant, account.username);
    return {
      homeAccountId: account.homeAccountId,
      username: account.username,
      ...(account.name ? { name: account.name } : {}),
      ...(tenantId ? { tenantId } : {}),
      ...(domain ? { tenantDomain: domain } : {}),
    };
  };

  const toResult = (result: AuthenticationResult): AccessTokenResult => ({
    accessToken: result.accessToken,
    expiresOn: result.expiresOn ?? null,
    scopes: result.scopes,
    source: core.source === "extension" ? "extension" : result.fromCache ? "cache" : "network",
    fromCache: result.fromCache,
  });

  const fetchResource = createAuthFetch({
    getToken: (scopes, claims) => core.getToken(scopes, claims),
    http: platform.http,
    clock: platform.clock,
    random: platform.random,
    gate: core.gate,
    breaker: core.breaker,
    events: core.events,
    clientCapabilities: CLIENT_CAPABILITIES,
  });

  const authFetch = async (input: string | URL, init: AuthFetchOptions = {}) => {
    try {
      return await resourceFetch(fetchResource, input, init, config.scopes);
    } catch (error) {
      throw track(error);
    }
  };
  const overage = new OverageGroups({
    fetch: authFetch,
    ...config.groupsOverage,
    onChange: clockedEmitter(platform.clock, core.events),
  });
  // Groups overage: the first time an account shows the marker (at load, after sign-in, on a switch),
  // ask Graph once. The outcome is in claims() and the event log, so nothing is lost by not awaiting.
  const resolveOverageOnce = () => {
    const account = core.account()?.homeAccountId;
    if (account && !overage.started(account) && core.identity()?.groupsOverage) overage.resolve(account).catch(() => undefined);
  };
  core.subscribe(resolveOverageOnce);
  resolveOverageOnce();

  const shell: AuthShell = {
    // A getter: a page that loaded before the extension's bridge switches when it arrives (shell-auth.ts).
    get mode() {
      return core.source;
    },
    getAccount: () => toAccount(core.account()),
    async signIn(options = {}) {
      try {
        return toAccount(await core.signIn(options.claims, options.scopes ?? config.scopes))!;
      } catch (error) {
        throw track(error);
      }
    },
    async signOut() {
      overage.clear();
      try {
        await core.signOut();
      } catch (error) {
        throw track(error);
      }
    },
    async getToken(request) {
      if (!request || !Array.isArray(request.scopes) || request.scopes.length === 0) {
        throw track(new AuthShellError("invalid_request", "getToken needs at least one scope"));
      }
      try {
        return toResult(await core.acquireSilent(request.scopes, request.claims, undefined, request.forceRefresh === true));
      } catch (error) {
        throw track(error);
      }
    },
    authFetch,
    claims(): IdTokenClaimsView | null {
      const identity = core.identity();
      if (!identity) return null;
      const account = core.account();
      const domain = tenantDomain(config.tenant, account?.username);
      const fromGraph = identity.groupsOverage && account ? overage.view(account.homeAccountId) : undefined;
      return {
        ...identity,
        ...(domain ? { tenantDomain: domain } : {}),
        ...(fromGraph ? { groups: fromGraph.groups, groupsResolution: fromGraph.resolution } : {}),
        ...(fromGraph?.error ? { groupsError: fromGraph.error } : {}),
      };
    },
    async resolveGroups() {
      const identity = core.identity();
      const account = core.account();
      if (!identity || !account) throw track(new AuthShellError("no_account", "Nobody is signed in, so there are no groups to read. Sign in first."));
      if (!identity.groupsOverage) return identity.groups;
      try {
        return await overage.resolve(account.homeAccountId);
      } catch (error) {
        throw track(error);
      }
    },
    status() {
      const next = core.nextRefreshAt();
      return {
        mode: core.source,
        account: toAccount(core.account()),
        tokens: core.tokenInfo(),
        ...(next !== undefined ? { nextRefreshAt: next } : {}),
        waits: core.waits(),
        pending: core.pending(),
        events: core.events.recent(),
      };
    },
    subscribe: (listener) => core.subscribe(listener),
    describeError(error) {
      const failure = AuthShellError.from(error);
      const at = raisedAt.get(failure);
      const remaining =
        failure.retryAfterMs !== undefined && at !== undefined ? Math.max(0, failure.retryAfterMs - (platform.clock.now() - at)) : undefined;
      return describeError(failure, remaining, { clientId: config.clientId });
    },
  };
  return shell;
}

/** What the page's HttpClient may hand back besides the port's view: the Response itself. */
interface WithRaw {
  raw?: Response;
}

async function resourceFetch(
  fetchResource: ReturnType<typeof createAuthFetch>,
  input: string | URL,
  init: AuthFetchOptions,
  defaultScopes: string[],
): Promise<Response> {
  const url = typeof input === "string" ? new URL(input, globalThis.location?.href).href : input instanceof URL ? input.href : undefined;
  if (!url) throw new AuthShellError("invalid_request", "authFetch takes a URL string or a URL");
  const headers: Record<string, string> = {};
  new Headers(init.headers ?? {}).forEach((value, name) => (headers[name] = value));
  const body = init.body === null || init.body === undefined ? undefined : String(init.body);
  if (init.body instanceof URLSearchParams && !("content-type" in headers)) headers["content-type"] = "application/x-www-form-urlencoded;charset=UTF-8";
  const response = await fetchResource(url, {
    scopes: init.scopes ?? defaultScopes,
    // The fetch adapter passes the method through as it is; the port's type names only the IdP's two.
    method: (init.method ?? "GET").toUpperCase() as "GET" | "POST",
    headers,
    ...(body !== undefined ? { body } : {}),
    ...(init.signal ? { signal: init.signal } : {}),
  });
  const raw = (response as WithRaw).raw;
  if (raw) return raw;
  const nullBody = response.status === 204 || response.status === 304 || (response.status >= 100 && response.status < 200);
  const type = response.headers.get("content-type");
  return new Response(nullBody ? null : await response.text(), { status: response.status, headers: type ? { "content-type": type } : {} });
}
