import { DEFAULT_SKEW_MS } from "../cache/lifetimes.js";
import { TokenCache } from "../cache/token-cache.js";
import { AuthShellError } from "../errors.js";
import { parseAuthority } from "../oidc/authority.js";
import { TokenClient } from "../oidc/token-client.js";
import { CircuitBreaker } from "../resilience/circuit-breaker.js";
import { InteractionCooldown } from "../resilience/interaction-cooldown.js";
import { sendResilient } from "../resilience/resilient-request.js";
import { RetryAfterGate } from "../resilience/retry-after-gate.js";
import { SingleFlight } from "../resilience/single-flight.js";
import type { ChainServices } from "./acquisition-step.js";
import { defaultSteps, runChain } from "./acquire.js";
import type { AccountInfo, BrokerDeps, BrokerPolicy, TokenBroker, TokenRequest, TokenResult } from "./broker-types.js";
import { cooldownKey } from "./interactive-step.js";
import { RefreshTokenStep } from "./refresh-token-step.js";
import { createContext, randomUuid, singleFlightKey } from "./request-context.js";
import { toAccountInfo } from "./token-result.js";

export * from "./broker-types.js";

export const DEFAULT_BROKER_POLICY: BrokerPolicy = {
  skewMs: DEFAULT_SKEW_MS,
  backgroundRefresh: true,
  resilience: {},
  breaker: {},
  cooldown: {},
};

/**
 * THE facade the extension service worker and the SPA use: the acquisition chain over an
 * encrypted-or-not KeyValueStore, with persisted resilience state, single-flight per request key
 * and a lock per refresh-token family.
 */
export function createTokenBroker(deps: BrokerDeps): TokenBroker {
  const policy: BrokerPolicy = { ...DEFAULT_BROKER_POLICY, ...deps.policy };
  const { config, clock } = deps;
  const authority = parseAuthority(config.authority);
  const cache = new TokenCache(deps.store);
  const gate = deps.gate ?? new RetryAfterGate(deps.store, clock);
  const breaker = deps.breaker ?? new CircuitBreaker(deps.store, clock, policy.breaker, deps.random);
  const cooldown = new InteractionCooldown(clock, deps.store, policy.cooldown);
  const flights = new SingleFlight();
  const clients = new Map<string, TokenClient>();
  const emit: ChainServices["emit"] = (type, message, detail) =>
    deps.events?.emit({ at: clock.now(), type, message, ...(detail ? { detail } : {}) });

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
    emit,
    tokenClient(clientId, mode) {
      const clientKey = `${mode}|${clientId}`;
      let client = clients.get(clientKey);
      if (!client) {
        const maxAttempts = mode === "caller" ? policy.callerMaxAttempts : undefined;
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
    loading ??= Promise.all([cache.load(), gate.load(), breaker.load(), cooldown.load()])
      .then(() => undefined)
      .catch((error: unknown) => {
        loading = undefined;
        throw AuthShellError.from(error, "storage_error");
      });
    return loading;
  };

  const steps = defaultSteps();
  const refreshOnly = [new RefreshTokenStep()];

  /** Refreshes one request's token if it is due; resolves true when a new token was stored. */
  const refreshInBackground = (request: TokenRequest): Promise<boolean> => {
    const context = createContext(services, request, { refreshDueOnly: true });
    return flights.run(`bg|${singleFlightKey(context)}`, async () => {
      try {
        const result = await runChain(context, refreshOnly);
        return result.source === "refresh_token";
      } catch (error) {
        const e = AuthShellError.from(error);
        emit("background_refresh_failed", `Background refresh failed: ${e.code}`, { code: e.code, correlationId: context.correlationId });
        return false;
      }
    });
  };

  const acquireToken = async (request: TokenRequest): Promise<TokenResult> => {
    await ready();
    const context = createContext(services, request);
    const result = await flights.run(singleFlightKey(context), () => runChain(context, steps));
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

  const signOut = async (homeAccountId?: string): Promise<{ logoutUrl: string }> => {
    await ready();
    const account = homeAccountId ? cache.getAccount(homeAccountId) : cache.getAccounts()[0];
    const query = new URLSearchParams();
    query.set("post_logout_redirect_uri", policy.postLogoutRedirectUri ?? config.redirectUri);
    query.set("client-request-id", randomUuid(deps.random));
    if (account) {
      const idToken = cache.getIdToken(account.homeAccountId, authority.url, config.clientId);
      const hint = idToken?.claims.login_hint;
      if (typeof hint === "string" && hint) query.set("logout_hint", hint);
      await cache.removeAccount(account.homeAccountId);
      emit("signed_out", "Signed out; tokens removed", { homeAccountId: account.homeAccountId });
    }
    return { logoutUrl: `${authority.logoutEndpoint}?${query.toString()}` };
  };

  const dueEntries = () =>
    cache
      .allAccessTokens()
      .filter((e) => e.claimsHash === "" && cache.getRefreshToken(e.homeAccountId, e.authority, e.clientId) && cache.getAccount(e.homeAccountId));

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
    return refreshed;
  };

  const nextRefreshAt = async (): Promise<number | undefined> => {
    await ready();
    const times = dueEntries().map((e) => e.refreshOn);
    return times.length > 0 ? Math.min(...times) : undefined;
  };

  const status = async () => {
    await ready();
    const cooldownUntil = cooldown.cooldownUntil(cooldownKey(config.clientId));
    return {
      accounts: await getAccounts(),
      cache: cache.summaries(),
      gates: gate.snapshot(),
      breakers: breaker.snapshot(),
      ...(cooldownUntil !== undefined ? { cooldownUntil } : {}),
    };
  };

  return { acquireToken, getAccounts, signOut, refreshDue, nextRefreshAt, status };
}
