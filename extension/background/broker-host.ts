/**
 * Lazily builds the one TokenBroker of this worker from the stored configuration and the platform
 * adapters (encrypted IndexedDB store, launchWebAuthFlow, fetch, timers). The store is opened once per
 * worker; a configuration change rebuilds the broker on next use.
 */
import { createTokenBroker } from "../../shared/chain/token-broker.js";
import type { TokenBroker } from "../../shared/chain/broker-types.js";
import { webCrypto, webRandom } from "../../shared/platform/web-crypto.js";
import type { EventSink } from "../../shared/ports.js";
import { InProcessLock } from "../../shared/resilience/in-process-lock.js";
import { EncryptedIdbStore } from "../storage/encrypted-store.js";
import { loadConfig, type ConfigView } from "./config.js";
import { EventLog } from "./event-log.js";
import { createFetchHttpClient } from "../../shared/platform/fetch-http-client.js";
import { createIdentityAuthorizeFlow } from "./identity-flow.js";
import { guardRefreshRedemptions } from "./redeem-journal.js";
import { createSystemClock } from "../../shared/platform/system-clock.js";

export const CLIENT_CAPABILITIES = ["cp1"];
/** Identifies this worker instance (a killed worker's unfinished refresh redemptions are not retried). */
const WORKER_ID = crypto.randomUUID();

export interface BrokerHandle {
  broker: TokenBroker;
  config: ConfigView;
}

export class BrokerHost {
  readonly events: EventLog;
  private store?: Promise<EncryptedIdbStore>;
  private handle?: Promise<BrokerHandle>;
  private readonly lock = new InProcessLock();

  constructor() {
    this.events = new EventLog(chrome.storage.session);
  }

  /** Events go to the popup's ring buffer. */
  readonly sink: EventSink = { emit: (event) => this.events.emit(event) };

  openStore(): Promise<EncryptedIdbStore> {
    this.store ??= EncryptedIdbStore.open().catch((error: unknown) => {
      this.store = undefined;
      throw error;
    });
    return this.store;
  }

  get(): Promise<BrokerHandle> {
    this.handle ??= this.create().catch((error: unknown) => {
      this.handle = undefined;
      throw error;
    });
    return this.handle;
  }

  /** Forget the broker (configuration changed); the next call builds a new one. */
  reset(): void {
    this.handle = undefined;
  }

  private async create(): Promise<BrokerHandle> {
    const [config, store] = await Promise.all([loadConfig(), this.openStore()]);
    const broker = createTokenBroker({
      config: {
        authority: config.authority,
        clientId: config.clientId,
        redirectUri: config.redirectUri,
        defaultScopes: config.defaultScopes,
        clientCapabilities: CLIENT_CAPABILITIES,
      },
      clock: createSystemClock(),
      http: guardRefreshRedemptions(createFetchHttpClient(undefined, { isolated: true }), chrome.storage.local, WORKER_ID),
      store,
      random: webRandom,
      crypto: webCrypto,
      lock: this.lock,
      authorizeFlow: createIdentityAuthorizeFlow(),
      events: this.sink,
      // A page never waits out a backoff (DESIGN §4): requests a page waits for make one attempt and
      // answer at once (cached token, or TRANSIENT_ERROR with the wait); the refresh alarm retries.
      // Background refreshes make one attempt too: their retries are the alarm's (chrome.alarms +
      // persisted breaker state), never in-worker sleeps that die with the worker.
      policy: { callerMaxAttempts: 1, backgroundMaxAttempts: 1, clientSku: { name: "resilient-token-broker-extension", version: chrome.runtime.getManifest().version } },
    });
    return { broker, config };
  }
}
