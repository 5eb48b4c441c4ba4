/**
 * Popup/options → service worker messages: the request shapes and validation are
 * shared/protocol/broker-messages.ts (`UiMessage`, `parseUiMessage`); this file types the answers.
 */
import type { UiMessage } from "../../shared/protocol/broker-messages.js";
import type { BrokerEvent } from "../../shared/ports.js";
import type { ConfigView } from "./config.js";
import type { Grant } from "./grant-rules.js";

export type UiRequest = UiMessage;

export interface AccountView {
  homeAccountId: string;
  username: string;
  name?: string;
  tenantId: string;
  environment: string;
}

export interface CacheEntryView {
  clientId: string;
  scopes: string[];
  expiresOn: number;
  refreshOn: number;
  hasRefreshToken: boolean;
  claimsBound: boolean;
}

export interface ThrottleView {
  gates: Array<{ key: string; closedUntil: number; remainingMs: number }>;
  breakers: Array<{ key: string; phase: string; consecutiveFailures: number; openUntil?: number }>;
  cooldownUntil?: number;
  /** When the next proactive refresh or backoff retry alarm fires. */
  nextAlarmAt?: number;
}

export interface StatusView extends ThrottleView {
  now: number;
  accounts: AccountView[];
  cache: CacheEntryView[];
}

export interface UiResponseMap {
  getStatus: StatusView;
  signIn: AccountView;
  signOut: { logoutUrl: string };
  listGrants: Grant[];
  addGrant: Grant[];
  removeGrant: Grant[];
  getConfig: ConfigView;
  setConfig: ConfigView;
  getEvents: BrokerEvent[];
}
