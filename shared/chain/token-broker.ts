import { DEFAULT_SKEW_MS } from "../cache/lifetimes.js";
import { TokenCache } from "../cache/token-cache.js";
import { AuthShellError } from "../errors.js";
import { clockedEmitter } from "../events.js";
import { randomUuid } from "../oidc/pkce.js";
import { parseAuthority } from "../oidc/authority.js";
import { TokenClient } from "../oidc/token-client.js";
import { CircuitBreaker } from "../resilience/circuit-breaker.js";
import { InteractionCooldown } from "../resilience/interaction-cooldown.js";
import { sendResilient } from "../resilience/resilient-request.js";
import { RetryAfterGate } from "../resilience/retry-after-gate.js";
import { SilentAuthorizeBackoff } from "../resilience/silent-authorize-backoff.js";
import { SingleFlight } from "../resilience/single-flight.js";
import type { AcquisitionContext, ChainServices } from "./acquisition-step.js";
import { defaultSteps, runChain } from "./acquire.js";
import type { AccountInfo, BrokerDeps, BrokerPolicy, TokenBroker, TokenRequest, TokenResult } from "./broker-types.js";
import { ForcedRefreshLimit, forcedRefreshKey } from "./forced-refresh-limit.js";
import { InteractionQueue } from "./interaction-queue.js";
import { InteractiveStep, cooldownKey } from "./interactive-step.js";
import { PendingRefreshes } from "./pending-refreshes.js";
import { RefreshTokenStep } from "./refresh-token-step.js";
import { createContext, singleFlightKey } from "./request-context.js";
import { toAccountInfo } from "./token-result.js";

export * from "./broker-types.js";

/** Retryable IdP failures after which the broker owes the caller a background refresh. */
const OWED_CODES = new Set(["throttled", "idp_unavailable", "timeout", "network_error"]);

const DEFAULT_BROKER_POLICY: BrokerPolicy = {
  skewMs: DEFAULT_SKEW_MS,
  backgroundRefresh: true,
  resilience: {},
  breaker: {},
  cooldown: {},
  silentBackoff: {},
  forcedRefreshLimit: { count: 3, intervalMs: 15_000 },
};

/**
 * The token broker of an extension's service worker (built by `createExtensionBroker`,
 * extension/broker): the acquisition chain over a KeyValueStore (encrypted IndexedDB there), with
 * persisted resilience state, single-flight per request key and a lock per refresh-token family. The
 * SPA shell (web/shell) does not use it: standalone it runs MSAL in the page with this repository's
 * network module (web/shell/internal/msal-network-client.ts), and with the extension it asks this
 * broker over the NAA bridge.
 */
export function createTokenBroker(deps: BrokerDeps): TokenBroker {
  const policy: BrokerPolicy = { ...DEFAULT_BROKER_POLICY, ...deps.policy };
  const { config, clock } = deps;
  const authority = parseAuthority(config.authority);
  const emit: ChainServices["emit"] = clockedEmitter(clock, deps.events);
  const cache = new TokenCache(deps.store);
  // The persisted resilience state: a write the store refuses is an event, and memory holds (PersistedRecords).
  const gate = deps.gate ?? new RetryAfterGate(deps.store, clock, emit);
  const breaker = deps.breaker ?? new CircuitBreaker(deps.store, clock, policy.breaker, deps.random, emit);
  const cooldown = new InteractionCooldown(clock, deps.store, policy.cooldown, emit);
  const silentBackoff = new SilentAuthorizeBackoff(clock, deps.store, policy.silentBackoff, emit);
  const flights = new SingleFlight();
  const pending = new PendingRefreshes(deps.store, emit);
  const clients = new Map<string, TokenClient>();

  const services: ChainServices = {
    config,
    authority,
    policy,
    clock,
    random: deps.random,
    crypto: deps.crypto,
    lock: deps.lock,
    authorizeFlow: deps.authorizeFlow,
    cache,
    gate,
    breaker,
    cooldown,
    silentBackoff,
    interactions: new InteractionQueue(),
    forcedRefreshes: new ForcedRefreshLimit(clock, policy.forcedRefreshLimit),
    emit,
    tokenClient(clientId, mode) {
      const clientKey = `${mode}|${clientId}`;
      let client = clients.get(clientKey);
      if (!client) {
        const maxAttempts = mode === "caller" ? policy.callerMaxAttempts : policy.backgroundMaxAttempts;
        client = new TokenClient({
          authority,
          clientId,
          redirectUri: config.redirectUri,
          ...(policy.clientSku ? { clientSku: policy.clientSku } : {}),
          send: (key, request) =>
            sendResilient(
              { clock, http: deps.http, random: deps.random, gate, breaker, ...(deps.events ? { events: deps.events } : {}), policy: policy.resilience },
              { key, request, ...(maxAttempts !== undefined ? { maxAttempts } : {}) },
            ),
        });
        clients.set(clientKey, client);
      }
      return client;
    },
  };

  let loading: Promise<void> | undefined;
  const ready = (): Promise<void> => {
    loading ??= Promise.all([cache.load(), gate.load(), breaker.load(), cooldown.load(), silentBackoff.load(), pending.load()])
      .then(() => undefined)
      .catch((error: unknown) => {
        loading = undefined;
        throw AuthShellError.from(error, "storage_error");
      });
    return loading;
  };

  const steps = defaultSteps();
  const refreshOnly = [new RefreshTokenStep()];
  // "Add another account" and "Sign in again": neither the cache nor prompt=none may answer for the
  // person at the window (a revoked session's cached token is still unexpired).
  const promptOnly = [new InteractiveStep()];

  /** Refreshes one request's token if it is due; resolves true when a new token was stored. */
  const refreshInBackground = (request: TokenRequest): Promise<boolean> => {
    const context = createContext(services, request, { refreshDueOnly: true });
    return flights.run(`bg|${singleFlightKey(context)}`, async () => {
      try {
        const result = await runChain(context, refreshOnly);
        if (result.source !== "refresh_token") return false;
        await pending.settle(context.clientId, result.account.homeAccountId, result.scopes);
        return true;
      } catch (error) {
        const e = AuthShellError.from(error);
        emit("refresh.background_failed", `Background refresh failed: ${e.code}`, { code: e.code, correlationId: context.correlationId });
        return false;
      }
    });
  };

  /**
   * A caller wanted a new token and the IdP could not give one (throttled, down, timed out): the
   * broker owes that refresh and retries it in the background until it succeeds (R6).
   */
  const owe = async (context: AcquisitionContext, error: AuthShellError): Promise<void> => {
    const account = context.account;
    if (!account || !OWED_CODES.has(error.code) || context.challengeClaims !== undefined) return;
    if (!cache.getRefreshToken(account.homeAccountId, authority.url, context.clientId)) return;
    const added = await pending.add({ clientId: context.clientId, homeAccountId: account.homeAccountId, scopes: [...context.scopes], since: clock.now() });
    if (added) emit("refresh.owed", `A refresh failed (${error.code}); the broker retries it in the background`, { code: error.code, correlationId: context.correlationId });
  };

  const acquireToken = async (request: TokenRequest): Promise<TokenResult> => {
    await ready();
    const context = createContext(services, request);
    let result: TokenResult;
    try {
      const prompting = context.selectAccount || context.reauthenticate;
      if (prompting && !context.allowInteraction) throw new AuthShellError("invalid_request", "Adding an account or signing in again needs interaction");
      result = await flights.run(singleFlightKey(context), () => runChain(context, prompting ? promptOnly : steps));
    } catch (error) {
      await owe(context, AuthShellError.from(error));
      throw error;
    }
    if (context.forceRefresh && context.challengeClaims === undefined && result.source !== "cache") {
      // Stamped with the request's start, before its token was cached: that token counts as "after" it.
      services.forcedRefreshes.record(forcedRefreshKey(context, result.account.homeAccountId), context.startedAt);
    }
    if (context.servedDuringOutage) await owe(context, context.servedDuringOutage);
    else if (result.source !== "cache") await pending.settle(context.clientId, result.account.homeAccountId, result.scopes);
    if (result.backgroundRefreshScheduled && policy.backgroundRefresh) {
      void refreshInBackground({
        scopes: result.scopes,
        clientId: context.clientId,
        homeAccountId: result.account.homeAccountId,
        allowInteraction: false,
      });
    }
    // Callers sharing a flight share one result object: hand each its own copy.
    return { ...result, scopes: [...result.scopes], account: { ...result.account } };
  };

  const getAccounts = async (): Promise<AccountInfo[]> => {
    await ready();
    return cache
      .getAccounts()
      .map((a) => toAccountInfo(a, cache.getIdToken(a.homeAccountId, authority.url, config.clientId)));
  };

  const getActiveAccount = async (): Promise<AccountInfo | undefined> => {
    await ready();
    const a = cache.getActiveAccount();
    return a ? toAccountInfo(a, cache.getIdToken(a.homeAccountId, authority.url, config.clientId)) : undefined;
  };

  const setActiveAccount = async (homeAccountId: string): Promise<void> => {
    await ready();
    await cache.setActiveAccount(homeAccountId);
    emit("account.switched", "Another account is now the active one", { homeAccountId });
  };

  const signOut = async (homeAccountId?: string): Promise<{ logoutUrl: string }> => {
    await ready();
    const account = homeAccountId ? cache.getAccount(homeAccountId) : cache.getActiveAccount();
    const query = new URLSearchParams();
    query.set("post_logout_redirect_uri", policy.postLogoutRedirectUri ?? config.redirectUri);
    query.set("client-request-id", randomUuid(deps.random));
    if (account) {
      const idToken = cache.getIdToken(account.homeAccountId, authority.url, config.clientId);
      const hint = idToken?.claims.login_hint;
      if (typeof hint === "string" && hint) query.set("logout_hint", hint);
      await cache.removeAccount(account.homeAccountId);
      // The IdP session ends with the logout: what the silent step remembered about it is void.
      await silentBackoff.clearAll();
      emit("account.signed_out", "Signed out; tokens removed", { homeAccountId: account.homeAccountId });
    }
    return { logoutUrl: `${authority.logoutEndpoint}?${query.toString()}` };
  };

  const dueEntries = () =>
    cache
      .allAccessTokens()
      .filter((e) => e.claimsHash === "" && cache.getRefreshToken(e.homeAccountId, e.authority, e.clientId) && cache.getAccount(e.homeAccountId));

  /** The refreshes owed to callers whose account and refresh token still exist (others are dropped). */
  const owedRefreshes = async () => {
    const live = [];
    for (const p of pending.all()) {
      if (cache.getAccount(p.homeAccountId) && cache.getRefreshToken(p.homeAccountId, authority.url, p.clientId)) live.push(p);
      else await pending.remove(p);
    }
    return live;
  };

  const refreshDue = async (): Promise<number> => {
    await ready();
    const now = clock.now();
    let refreshed = 0;
    for (const entry of dueEntries().filter((e) => now >= e.refreshOn)) {
      const ok = await refreshInBackground({
        scopes: entry.scopes,
        clientId: entry.clientId,
        homeAccountId: entry.homeAccountId,
        allowInteraction: false,
      });
      if (ok) refreshed++;
    }
    // Refreshes owed to callers (a forced refresh that failed during an outage), not yet settled above.
    for (const owed of await owedRefreshes()) {
      if (!pending.has(owed)) continue; // settled by a refresh above
      const ok = await refreshInBackground({
        scopes: owed.scopes,
        clientId: owed.clientId,
        homeAccountId: owed.homeAccountId,
        allowInteraction: false,
        forceRefresh: true,
      });
      if (ok) refreshed++;
    }
    return refreshed;
  };

  /**
   * When `refreshDue` next has something to do: the earliest `refreshOn` (or owed refresh), but never
   * before the token endpoint's Retry-After gate and breaker window let a request through — so a
   * scheduler arming its alarm here fires exactly when the next backoff retry may go.
   */
  const nextRefreshAt = async (): Promise<number | undefined> => {
    await ready();
    const times = [...dueEntries().map((e) => e.refreshOn), ...(await owedRefreshes()).map((p) => p.since)];
    if (times.length === 0) return undefined;
    const key = authority.tokenGateKey;
    const reopensAt = clock.now() + Math.max(gate.remainingMs(key), breaker.remainingMs(key));
    return Math.max(Math.min(...times), reopensAt);
  };

  const status = async () => {
    await ready();
    const cooldownUntil = cooldown.cooldownUntil(cooldownKey(config.clientId));
    const activeAccountId = cache.getActiveAccount()?.homeAccountId;
    return {
      ...(activeAccountId !== undefined ? { activeAccountId } : {}),
      accounts: await getAccounts(),
      cache: cache.summaries(),
      gates: gate.snapshot(),
      breakers: breaker.snapshot(),
      silent: silentBackoff.snapshot(),
      ...(cooldownUntil !== undefined ? { cooldownUntil } : {}),
    };
  };

  return { acquireToken, getAccounts, getActiveAccount, setActiveAccount, signOut, refreshDue, nextRefreshAt, status };
}
