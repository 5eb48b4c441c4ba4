/**
 * `createExtensionBroker`: the token broker of an MV3 service worker, for our extension and anyone
 * else's. Called at the top level of the worker, it registers its chrome.alarms listener at once
 * (an alarm that wakes a killed worker must find it), and builds the TokenBroker lazily — encrypted
 * IndexedDB store, launchWebAuthFlow, fetch, the refresh-redemption journal — on first use.
 * Needs only the identity, storage and alarms permissions.
 */
import type { BrokerDeps, TokenBroker, TokenRequest } from "../../shared/chain/broker-types.js";
import { createTokenBroker } from "../../shared/chain/token-broker.js";
import { validateSettings } from "../../shared/config/validate-settings.js";
import { AuthShellError } from "../../shared/errors.js";
import { createFetchHttpClient } from "../../shared/platform/fetch-http-client.js";
import { createSystemClock } from "../../shared/platform/system-clock.js";
import type { Clock } from "../../shared/ports.js";
import { webCrypto, webRandom } from "../../shared/platform/web-crypto.js";
import { clockedEmitter, type Emit, type EventSink, type ExtensionEventType } from "../../shared/events.js";
import { randomUuid } from "../../shared/oidc/pkce.js";
import { InProcessLock } from "../../shared/resilience/in-process-lock.js";
import { settingsSentence } from "./settings-sentences.js";
import { EncryptedIdbStore } from "../storage/encrypted-store.js";
import { ActivityRecord } from "../activity/activity-record.js";
import { activityEntry } from "../activity/activity-entry.js";
import type { ActivityEntry } from "../protocol/views.js";
import type {
  BrokerEventListener,
  ExtensionBroker,
  ExtensionBrokerConfig,
  ExtensionBrokerSettings,
} from "./extension-broker-types.js";
import { browser, currentEngine, matchPatternFor, webAuthFlowDetails } from "../platform/browser-api.js";
import { probeAuthorize, type ProbeVerdict } from "./authorize-probe.js";
import { createIdentityAuthorizeFlow } from "./identity-flow.js";
import { chromeWindowPorts, guardSignInWindows } from "./orphaned-sign-in-window.js";
import { servePages } from "./page-server.js";
import { guardRefreshRedemptions } from "./redeem-journal.js";
import { REFRESH_ALARM, onTokenActivity, runRefreshAlarm, scheduleRefresh } from "./refresh-alarm.js";
import { statusView } from "./status-view.js";

const DEFAULT_CLIENT_CAPABILITIES = ["cp1"];
const DEFAULT_SKU = { name: "resilient-token-broker-extension", version: "0.1.0" };

interface Built {
  broker: TokenBroker;
  settings: Required<ExtensionBrokerSettings>;
}

/**
 * Checks settings once with the one validator the options page uses (shared/config/validate-settings.ts),
 * so a typo fails with `config_error` (a sentence per field) rather than as an IdP error later.
 */
export function normaliseSettings(input: ExtensionBrokerSettings, defaultRedirectUri: () => string): Required<ExtensionBrokerSettings> {
  const result = validateSettings({ authority: input.authority, clientId: input.clientId, defaultScopes: input.scopes ?? [] }, settingsSentence);
  if (!result.ok) throw new AuthShellError("config_error", Object.values(result.refusals).join(" "), { fields: result.refusals });
  return {
    authority: result.value.authority,
    clientId: result.value.clientId,
    scopes: result.value.defaultScopes,
    redirectUri: input.redirectUri ?? defaultRedirectUri(),
    clientCapabilities: input.clientCapabilities ?? DEFAULT_CLIENT_CAPABILITIES,
  };
}

/** Ends the IdP session in the same browser surface that signed in (best effort, bounded). */
async function endIdpSession(logoutUrl: string, emit: Emit<ExtensionEventType>): Promise<void> {
  try {
    await browser.identity.launchWebAuthFlow(webAuthFlowDetails(logoutUrl, false, currentEngine(), 5000));
  } catch (error) {
    // The logout page does not redirect back without a post-logout redirect: the session cookie is gone anyway.
    emit("account.logout_page", `The IdP logout page did not return (${AuthShellError.from(error).code}); local sign-out done`);
  }
}

/** The authorize probe over this extension's fetch and host permissions; what it saw is an event. */
async function probe(url: string, clock: Clock, emit: Emit<ExtensionEventType>): Promise<ProbeVerdict> {
  const verdict = await probeAuthorize(url, {
    fetch: (target, init) => fetch(target, init),
    canRead: (target) => browser.permissions.contains({ origins: [matchPatternFor(new URL(target).origin)] }),
    now: () => clock.now(),
  });
  const seen = {
    throttled: "429: held for its Retry-After",
    unavailable: "failing or unreachable: backing off",
    answers: "it answers: the flow's own answer stands",
    not_probed: "not looked at (no host access to the identity provider): the browser's answer stands",
  }[verdict.kind];
  emit("authorize.probed", `A silent sign-in failed; the sign-in endpoint, asked once without cookies: ${seen}`, { verdict: verdict.kind });
  return verdict;
}

export function createExtensionBroker(config: ExtensionBrokerConfig): ExtensionBroker {
  const listeners = new Set<BrokerEventListener>();
  const events: EventSink<ExtensionEventType> = {
    emit(event) {
      for (const listener of [...listeners]) {
        try {
          listener(event);
        } catch {
          // A throwing subscriber must not break token serving or the other subscribers.
        }
      }
    },
  };
  const clock = createSystemClock();
  const emit = clockedEmitter(clock, events);
  const readSettings: () => Promise<ExtensionBrokerSettings> = "settings" in config ? config.settings : async () => config;
  // Fixed settings are checked at creation: a broken configuration fails loudly at the top level.
  if (!("settings" in config)) normaliseSettings(config, () => "https://invalid.chromiumapp.org/");
  const workerId = randomUuid(webRandom); // A killed worker's unfinished refresh redemption is resent once at most.
  const lock = new InProcessLock();
  let store: Promise<EncryptedIdbStore> | undefined;
  let built: Promise<Built> | undefined;

  // Every token served (to pages, to this worker's code, to a Sign in) goes on record; `activity: false` keeps none.
  const activity = config.activity === false ? undefined : new ActivityRecord({ store: () => openStore(), clock, events, bound: config.activity ?? {} });
  const served = (entry: ActivityEntry) => activity?.record(entry);
  /** The extension's own origin: what a library call or a Sign in is recorded under. */
  const ownOrigin = () => browser.runtime.getURL("").replace(/\/$/, "");

  const openStore = () =>
    (store ??= EncryptedIdbStore.open({
      emit,
      // A store whose connection is gone fails every call: the next request opens (and checks) a new one.
      onConnectionLost: () => {
        store = undefined;
        built = undefined;
      },
    }).catch((error: unknown) => {
      store = undefined;
      throw error;
    }));

  async function build(): Promise<Built> {
    const [raw, kv] = await Promise.all([readSettings(), openStore()]);
    const settings = normaliseSettings(raw, () => browser.identity.getRedirectURL());
    const deps: BrokerDeps = {
      config: {
        authority: settings.authority,
        clientId: settings.clientId,
        redirectUri: settings.redirectUri,
        defaultScopes: settings.scopes,
        clientCapabilities: settings.clientCapabilities,
      },
      clock,
      http: guardRefreshRedemptions(createFetchHttpClient(undefined, { isolated: true }), browser.storage.local, workerId, clock),
      store: kv,
      random: webRandom,
      crypto: webCrypto,
      lock,
      // A sign-in window orphaned by a killed worker would block every later flow: see the guard.
      authorizeFlow: createIdentityAuthorizeFlow({
        launch: guardSignInWindows((d) => browser.identity.launchWebAuthFlow(d), browser.storage.session, chromeWindowPorts(), workerId, emit),
        engine: currentEngine(),
        probe: (url) => probe(url, clock, emit),
      }),
      events,
      // A caller never waits out a backoff (docs/architecture.md, "The bridge"): one attempt, answered at once (cached token,
      // or a retryable error with the wait). Background refreshes make one attempt too: their
      // retries are the alarm's (chrome.alarms + persisted breaker state), never in-worker sleeps.
      policy: { callerMaxAttempts: 1, backgroundMaxAttempts: 1, clientSku: config.clientSku ?? DEFAULT_SKU },
    };
    return { broker: createTokenBroker(deps), settings };
  }

  const get = (): Promise<Built> =>
    (built ??= build().catch((error: unknown) => {
      built = undefined;
      throw error;
    }));

  /** Re-arms the refresh alarm after a request that may have changed what is owed; failures become events. */
  const rearm = (broker: TokenBroker) =>
    void onTokenActivity(broker, clock).catch((error: unknown) =>
      emit("alarm.schedule_failed", `Could not arm the refresh alarm: ${AuthShellError.from(error).code}`),
    );

  async function acquire(request: TokenRequest, caller: "library" | "sign-in") {
    const { broker, settings } = await get();
    try {
      const result = await broker.acquireToken(request);
      served(activityEntry(result, { caller, origin: ownOrigin(), frameOrigin: ownOrigin(), clientId: request.clientId ?? settings.clientId }, clock.now()));
      // A plain cache hit changes no refresh time; anything else (or a forced refresh answered from
      // the cache, which failed at the IdP and is owed) may.
      if (result.source !== "cache" || result.backgroundRefreshScheduled || request.forceRefresh) rearm(broker);
      return result;
    } catch (error) {
      // A failed refresh is owed and retried by the alarm: arm it now, not at the next request.
      if (AuthShellError.from(error).retryable) rearm(broker);
      throw error;
    }
  }

  // Synchronously, at the top level: the alarm that wakes a killed worker is delivered to this listener.
  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name !== REFRESH_ALARM) return;
    void get()
      .then(({ broker }) => runRefreshAlarm(broker, clock, emit))
      .catch((error: unknown) =>
        emit("alarm.refresh_failed", `The refresh alarm could not run: ${AuthShellError.from(error).code}`),
      );
  });

  // Every worker start re-arms the alarm from the cache (an alarm lost with a browser restart comes back).
  void get()
    .then(({ broker }) => scheduleRefresh(broker, clock))
    .catch((error: unknown) =>
      emit("broker.not_ready", `No refresh scheduled: ${AuthShellError.from(error).message}`),
    );

  return {
    acquireToken(options) {
      const request: TokenRequest = { scopes: options.scopes, allowInteraction: options.interactive === true };
      if (options.account) request.homeAccountId = options.account.homeAccountId;
      if (options.claims) request.claims = options.claims;
      if (options.forceRefresh) request.forceRefresh = true;
      if (options.loginHint) request.loginHint = options.loginHint;
      if (options.correlationId) request.correlationId = options.correlationId;
      return acquire(request, "library");
    },
    async getAccounts() {
      return (await get()).broker.getAccounts();
    },
    async signIn(options = {}) {
      const { settings } = await get();
      // signIn() answers a person's click (the popup's Sign in): it opens the window even during the
      // cool-down that stops loops.
      const request: TokenRequest = { scopes: options.scopes ?? settings.scopes, allowInteraction: true, userInitiated: true };
      if (options.loginHint) request.loginHint = options.loginHint;
      if (options.selectAccount) request.selectAccount = true;
      if (options.reauthenticate) request.reauthenticate = true;
      const result = await acquire(request, "sign-in");
      // The person just chose this account: it is the one pages get from now on.
      await (await get()).broker.setActiveAccount(result.account.homeAccountId);
      emit("account.signed_in", `Signed in as ${result.account.username}`);
      return result.account;
    },
    async getActiveAccount() {
      return (await get()).broker.getActiveAccount();
    },
    async setActiveAccount(account) {
      await (await get()).broker.setActiveAccount(account.homeAccountId);
      emit("account.switched", "Switched the active account");
    },
    async signOut(account) {
      const { broker } = await get();
      const { logoutUrl } = await broker.signOut(account?.homeAccountId);
      emit("account.signed_out", "Signed out; cached tokens cleared");
      await scheduleRefresh(broker, clock);
      await endIdpSession(logoutUrl, emit);
      return { logoutUrl };
    },
    async status() {
      const { broker } = await get();
      const [status, alarm] = await Promise.all([broker.status(), browser.alarms.get(REFRESH_ALARM)]);
      return statusView(status, alarm?.scheduledTime, clock.now());
    },
    async activity(query = {}) {
      return activity ? activity.query(query) : [];
    },
    async lastUse() {
      return activity ? activity.lastUse() : {};
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    reload() {
      built = undefined;
    },
    exposeToPages(options) {
      return servePages(options, {
        broker: async () => {
          const { broker, settings } = await get();
          return { broker, config: { authority: settings.authority, defaultScopes: settings.scopes, clientId: settings.clientId } };
        },
        events,
        clock,
        served,
        onToken: rearm,
      });
    },
  };
}
