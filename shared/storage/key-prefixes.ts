/**
 * Every key prefix of the KeyValueStore, in one place: the token cache's records and the resilience
 * state the broker and the shell persist. No prefix starts with another, so a prefix scan
 * (`store.entries(prefix)`) only ever meets its own holder's records (tested).
 */
export const STORE_PREFIXES = {
  /** Token cache (shared/cache): accounts, ID tokens, access tokens, refresh tokens. */
  account: "acct:",
  idToken: "idt:",
  accessToken: "at:",
  refreshToken: "rt:",
  /** Retry-After gates (shared/resilience/retry-after-gate.ts). */
  gate: "gate:",
  /** Circuit breakers (shared/resilience/circuit-breaker.ts). */
  breaker: "breaker:",
  /** Interactive prompt cool-downs (shared/resilience/interaction-cooldown.ts). */
  cooldown: "cooldown:",
  /** Silent-authorize backoff (shared/resilience/silent-authorize-backoff.ts). */
  silentBackoff: "silent:",
  /** Refreshes the broker owes its callers (shared/chain/pending-refreshes.ts). */
  pendingRefresh: "refresh-pending:",
  /** The shell's cross-tab refresh records (web/shell/internal/refresh-records.ts). */
  shellRefresh: "refresh:",
} as const;

export type StorePrefix = (typeof STORE_PREFIXES)[keyof typeof STORE_PREFIXES];

/** The homeAccountId of the active account: a single key outside every prefix above. */
export const ACTIVE_ACCOUNT_KEY = "active-account";
