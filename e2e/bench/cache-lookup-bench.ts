import type { AccessTokenEntry, AccountEntry, IdTokenEntry } from "../../shared/cache/cache-entries.js";
import { TokenCache } from "../../shared/cache/token-cache.js";
import { createTokenBroker } from "../../shared/chain/token-broker.js";
import type { Clock, KeyValueStore } from "../../shared/ports.js";
import { InProcessLock } from "../../shared/resilience/in-process-lock.js";
import { MemoryStore } from "../../shared/storage/memory-store.js";

/**
 * Cache-lookup benchmark (issue 3, "Performance"): p50/p99 of one TokenCache lookup with 1,000 and
 * 10,000 cached access tokens, and the overhead of the whole acquisition chain on a cache hit
 * versus a bare Map lookup, as a ratio. Runtime-neutral: the caller passes a high-resolution
 * `now()` (performance.now); reported, never asserted.
 */
export interface LookupStats {
  entries: number;
  samples: number;
  p50Ms: number;
  p99Ms: number;
  hits: number;
}

export interface CacheLookupBenchResult {
  lookups: LookupStats[];
  chainOnHit: { iterations: number; chainMeanMs: number; mapMeanMs: number; ratio: number };
}

export interface CacheLookupBenchOptions {
  sizes?: number[];
  samples?: number;
  chainIterations?: number;
}

const AUTHORITY = "https://login.microsoftonline.com/contoso.test";
const SCOPES_PER_FAMILY = 10;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

/** One cached family as a sign-in writes it: account, ID token (every served answer carries it) and access token. */
function fixture(i: number): { account: AccountEntry; idToken: IdTokenEntry; accessToken: AccessTokenEntry } {
  const family = Math.floor(i / SCOPES_PER_FAMILY);
  const homeAccountId = `user-${family}.tenant`;
  return {
    account: {
      homeAccountId,
      environment: "login.microsoftonline.com",
      tenantId: "tenant",
      localAccountId: `user-${family}`,
      username: `user-${family}@contoso.test`,
      authority: AUTHORITY,
      lastSignInAt: family,
    },
    idToken: { homeAccountId, authority: AUTHORITY, clientId: "client", secret: `id-${family}`, claims: { oid: `user-${family}` }, cachedAt: 0 },
    accessToken: {
      homeAccountId,
      authority: AUTHORITY,
      clientId: "client",
      scopes: [`api://resource-${i % SCOPES_PER_FAMILY}/read`, `api://resource-${i % SCOPES_PER_FAMILY}/write`],
      claimsHash: "",
      secret: `opaque-${i}`,
      cachedAt: 0,
      expiresOn: Number.MAX_SAFE_INTEGER,
      extExpiresOn: Number.MAX_SAFE_INTEGER,
      refreshOn: Number.MAX_SAFE_INTEGER,
    },
  };
}

async function filledStore(entries: number): Promise<KeyValueStore> {
  const store = new MemoryStore();
  const writer = new TokenCache(store);
  for (let i = 0; i < entries; i++) await writer.save(fixture(i));
  return store;
}

async function measureLookups(entries: number, samples: number, now: () => number): Promise<LookupStats> {
  const cache = new TokenCache(await filledStore(entries));
  await cache.load();
  const times: number[] = [];
  let hits = 0;
  for (let s = 0; s < samples; s++) {
    const i = (s * 7919) % entries;
    const query = {
      homeAccountId: fixture(i).account.homeAccountId,
      authority: AUTHORITY,
      clientId: "client",
      scopes: [`api://resource-${i % SCOPES_PER_FAMILY}/read`, "openid"],
      claimsHash: "",
    };
    const t0 = now();
    const found = cache.findAccessToken(query);
    times.push(now() - t0);
    if (found) hits++;
  }
  times.sort((a, b) => a - b);
  return { entries, samples, p50Ms: percentile(times, 50), p99Ms: percentile(times, 99), hits };
}

async function measureChainOnHit(iterations: number, now: () => number) {
  const store = await filledStore(SCOPES_PER_FAMILY);
  const clock: Clock = { now: () => 1_000, sleep: () => new Promise<void>(() => undefined) };
  const unused = () => {
    throw new Error("not used on a cache hit");
  };
  const broker = createTokenBroker({
    config: { authority: AUTHORITY, clientId: "client", redirectUri: "https://x.chromiumapp.org/", defaultScopes: [], clientCapabilities: ["cp1"] },
    clock,
    http: { send: unused },
    store,
    random: { bytes: (n) => new Uint8Array(n), float: () => 0.5 },
    crypto: { sha256: unused },
    lock: new InProcessLock(),
    authorizeFlow: { run: unused },
    policy: { backgroundRefresh: false },
  });
  const request = { scopes: ["api://resource-3/read"], allowInteraction: false, homeAccountId: "user-0.tenant", correlationId: "bench" };
  await broker.acquireToken(request); // warm-up: loads the cache
  const map = new Map<string, string>([["user-0.tenant|client|api://resource-3/read", "opaque-3"]]);

  let t0 = now();
  for (let i = 0; i < iterations; i++) await broker.acquireToken(request);
  const chainMeanMs = (now() - t0) / iterations;
  let sink = 0;
  t0 = now();
  for (let i = 0; i < iterations; i++) sink += (await Promise.resolve(map.get("user-0.tenant|client|api://resource-3/read")))?.length ?? 0;
  const mapMeanMs = (now() - t0) / iterations;
  if (sink < 0) throw new Error("unreachable");
  return { iterations, chainMeanMs, mapMeanMs, ratio: mapMeanMs > 0 ? chainMeanMs / mapMeanMs : Number.POSITIVE_INFINITY };
}

export async function runCacheLookupBench(now: () => number, options: CacheLookupBenchOptions = {}): Promise<CacheLookupBenchResult> {
  const sizes = options.sizes ?? [1_000, 10_000];
  const samples = options.samples ?? 5_000;
  const lookups: LookupStats[] = [];
  for (const size of sizes) lookups.push(await measureLookups(size, samples, now));
  const chainOnHit = await measureChainOnHit(options.chainIterations ?? 5_000, now);
  return { lookups, chainOnHit };
}
