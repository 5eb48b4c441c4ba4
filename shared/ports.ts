/**
 * The ports through which the runtime-neutral core reaches time, network, storage, randomness,
 * hashing, locks and observers. Each platform (extension service worker, SPA, tests) supplies them.
 */

/** Wall-clock time and cancellable waiting. Tests use `FakeClock` (e2e/support/unit/fake-clock.ts). */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  /** Resolves after `ms`; rejects with the signal's reason if `signal` aborts first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** A case-insensitive view of response headers. */
export interface HttpHeaders {
  get(name: string): string | null;
}

export interface HttpRequest {
  url: string;
  method: "GET" | "POST";
  headers?: Record<string, string>;
  /** Already encoded body (e.g. `application/x-www-form-urlencoded`). */
  body?: string;
  signal?: AbortSignal;
}

export interface HttpResponse {
  status: number;
  headers: HttpHeaders;
  text(): Promise<string>;
}

/**
 * Fetch-shaped HTTP. Rejects only for network-level failures (and aborts); HTTP error statuses
 * resolve normally.
 */
export interface HttpClient {
  send(request: HttpRequest): Promise<HttpResponse>;
}

/** One atomic batch of writes: all puts and deletes land together, or none does. */
export interface StoreBatch {
  put?: Record<string, unknown>;
  delete?: string[];
}

/** Persistent key-value storage of structured-clonable values. */
export interface KeyValueStore {
  get<T = unknown>(key: string): Promise<T | undefined>;
  /** All entries whose key starts with `prefix`, in key order. */
  entries<T = unknown>(prefix: string): Promise<Array<[string, T]>>;
  set(key: string, value: unknown): Promise<void>;
  delete(key: string): Promise<void>;
  batch(ops: StoreBatch): Promise<void>;
  clear(): Promise<void>;
}

/** Randomness: cryptographic bytes and a uniform float for jitter. */
export interface Random {
  bytes(length: number): Uint8Array;
  /** Uniform in [0, 1). */
  float(): number;
}

/** Hashing, backed by WebCrypto in browsers. */
export interface Crypto {
  sha256(data: Uint8Array): Promise<Uint8Array>;
}

/** A named mutual-exclusion lock (in-process in the service worker, Web Locks in the SPA). */
export interface Lock {
  withLock<T>(name: string, fn: () => Promise<T>): Promise<T>;
}

/**
 * Runs an authorization request in a browser surface (the extension's `launchWebAuthFlow`, a popup
 * in the SPA) and resolves with the URL the IdP redirected back to. `interactive: false` must never
 * show UI: it is used for `prompt=none`. Rejects with an AuthShellError (`user_cancelled`,
 * `interaction_required`, `timeout`, …) when no redirect comes back.
 */
export interface AuthorizeFlow {
  run(authorizeUrl: string, options: { interactive: boolean; redirectUri: string }): Promise<string>;
}

/** Events are a port too; their closed type list lives in events.ts. */
export type { BrokerEvent, EventSink } from "./events.js";
