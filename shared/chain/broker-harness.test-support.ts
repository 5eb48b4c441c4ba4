/**
 * Test support (not shipped): a small scripted Entra-like IdP on top of FakeHttp, a fake
 * AuthorizeFlow, and a broker wired to FakeClock + MemoryStore + InProcessLock.
 */
import { expect } from "vitest";
import { AuthShellError } from "../errors.js";
import type { AuthorizeFlow, BrokerEvent, Crypto } from "../ports.js";
import { InProcessLock } from "../resilience/in-process-lock.js";
import { MemoryStore } from "../storage/memory-store.js";
import { FakeClock } from "../../e2e/support/unit/fake-clock.js";
import { FakeHttp, type RecordedRequest, type ScriptedResponse } from "../../e2e/support/unit/fake-http.js";
import { FakeRandom } from "../../e2e/support/unit/fake-random.js";
import { base64UrlEncode } from "../oidc/base64url.js";
import { createTokenBroker, type BrokerConfig, type BrokerPolicy, type TokenBroker } from "./token-broker.js";

export const TENANT = "7d3e2a10-1c4b-4f5e-9a8b-0c1d2e3f4a5b";
const AUTHORITY = `https://idp.test/${TENANT}`;
export const CLIENT_ID = "client-1";
const REDIRECT_URI = "https://ext.chromiumapp.org/";
export const USER = { oid: "oid-1", username: "adele@contoso.test", name: "Adele Vance" };
export const HOME_ACCOUNT_ID = `${USER.oid}.${TENANT}`;

/** Who the fake IdP signs in: a user of a home tenant. */
interface FakeUser {
  oid: string;
  username: string;
  name: string;
  tenant: string;
}

const json = (v: unknown) => base64UrlEncode(new TextEncoder().encode(JSON.stringify(v)));

export function makeIdToken(claims: Record<string, unknown>): string {
  return `${json({ alg: "RS256", typ: "JWT" })}.${json(claims)}.c2ln`;
}

/** A synchronous pure-JS SHA-256 (FIPS 180-4), so hashing never races the fake clock. */
export function sha256Sync(data: Uint8Array): Uint8Array {
  const K = Array.from({ length: 64 }, (_, i) => {
    let n = 2;
    for (let found = -1; ; n++) {
      let prime = true;
      for (let d = 2; d * d <= n; d++) if (n % d === 0) prime = false;
      if (prime && ++found === i) break;
    }
    return (Math.cbrt(n) * 2 ** 32) | 0;
  });
  const H = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
  const bitLength = data.length * 8;
  const padded = new Uint8Array(Math.ceil((data.length + 9) / 64) * 64);
  padded.set(data);
  padded[data.length] = 0x80;
  const view = new DataView(padded.buffer);
  view.setUint32(padded.length - 8, Math.floor(bitLength / 2 ** 32));
  view.setUint32(padded.length - 4, bitLength >>> 0);
  const rotr = (x: number, n: number) => (x >>> n) | (x << (32 - n));
  const w = new Array<number>(64);
  for (let off = 0; off < padded.length; off += 64) {
    for (let i = 0; i < 16; i++) w[i] = view.getUint32(off + i * 4);
    for (let i = 16; i < 64; i++) {
      const a = w[i - 15]!, b = w[i - 2]!;
      w[i] = (w[i - 16]! + (rotr(a, 7) ^ rotr(a, 18) ^ (a >>> 3)) + w[i - 7]! + (rotr(b, 17) ^ rotr(b, 19) ^ (b >>> 10))) | 0;
    }
    let [a, b, c, d, e, f, g, h] = H as [number, number, number, number, number, number, number, number];
    for (let i = 0; i < 64; i++) {
      const t1 = (h + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K[i]! + w[i]!) | 0;
      const t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) | 0;
      [h, g, f, e, d, c, b, a] = [g, f, e, (d + t1) | 0, c, b, a, (t1 + t2) | 0];
    }
    [a, b, c, d, e, f, g, h].forEach((v, i) => (H[i] = (H[i]! + v) | 0));
  }
  const out = new Uint8Array(32);
  H.forEach((v, i) => new DataView(out.buffer).setUint32(i * 4, v >>> 0));
  return out;
}

export const nodeCrypto: Crypto = {
  sha256: async (data) => sha256Sync(data),
};

/** A scripted answer, a network error, or a request that never answers (until the caller's timeout). */
type TokenFault = ScriptedResponse | { networkError: string } | { hang: true };

/** A scripted IdP: codes, rotating refresh tokens with reuse detection, and fault injection. */
class FakeIdp {
  expiresIn = 3600;
  refreshIn: number | undefined = undefined;
  extExpiresIn: number | undefined = 7200;
  /** Faults played (in order) before normal answers resume. */
  readonly faults: TokenFault[] = [];
  readonly validRefreshTokens = new Set<string>();
  readonly redeemedRefreshTokens: string[] = [];
  refreshTokenReuse = 0;
  /** When false, prompt=none answers login_required. */
  hasSession = true;
  /** What an interactive prompt does. */
  interactive: "sign_in" | "cancel" = "sign_in";
  /** While set, an interactive prompt waits for it (a person still looking at the window). */
  interactiveHold: Promise<void> | undefined;
  /** When set, a silent authorize flow fails with it (the page could not be loaded, …). */
  silentFailure: AuthShellError | undefined;
  readonly authorizeCalls: Array<{ url: URL; interactive: boolean }> = [];
  /** Override the nonce the IdP puts in the ID token (for nonce-mismatch tests). */
  nonceOverride: string | undefined;
  /** Override the state the IdP redirects with (for state-mismatch tests). */
  stateOverride: string | undefined;
  /** (verifier, challenge) of every redeemed code, for tests to check S256. */
  readonly pkcePairs: Array<{ verifier: string; challenge: string }> = [];
  /** The user the next sign-in (interactive or silent) is for; each code and refresh token keeps its own. */
  user: FakeUser = { ...USER, tenant: TENANT };
  private counter = 0;
  private readonly codes = new Map<string, { nonce: string; challenge: string; user: FakeUser }>();
  private readonly refreshTokenUsers = new Map<string, FakeUser>();

  constructor(readonly http: FakeHttp) {
    http.on("/oauth2/v2.0/token", (r) => this.token(r));
  }

  tokenRequests(grant?: string): RecordedRequest[] {
    return this.http.sent("/oauth2/v2.0/token").filter((r) => !grant || r.form.get("grant_type") === grant);
  }

  readonly flow: AuthorizeFlow = {
    run: async (authorizeUrl, options) => {
      const url = new URL(authorizeUrl);
      this.authorizeCalls.push({ url, interactive: options.interactive });
      const p = url.searchParams;
      const state = this.stateOverride ?? p.get("state") ?? "";
      if (!options.interactive && this.silentFailure) throw this.silentFailure;
      if (options.interactive && this.interactiveHold) await this.interactiveHold;
      if (!options.interactive && (p.get("prompt") !== "none" || !this.hasSession)) {
        return `${options.redirectUri}#error=login_required&error_description=AADSTS50058%3A+no+session&state=${state}`;
      }
      if (options.interactive && this.interactive === "cancel") {
        throw new AuthShellError("user_cancelled", "The user closed the window");
      }
      const code = `code-${++this.counter}`;
      this.codes.set(code, { nonce: p.get("nonce") ?? "", challenge: p.get("code_challenge") ?? "", user: this.user });
      this.hasSession = true;
      return `${options.redirectUri}#code=${code}&state=${encodeURIComponent(state)}`;
    },
  };

  private token(r: RecordedRequest): ScriptedResponse | Promise<ScriptedResponse> {
    const fault = this.faults.shift();
    if (fault && "networkError" in fault) throw new TypeError(fault.networkError);
    if (fault && "hang" in fault) return new Promise<ScriptedResponse>(() => undefined);
    if (fault) return fault;
    const f = r.form;
    let nonce: string | undefined;
    let user = this.user;
    if (f.get("grant_type") === "refresh_token") {
      const rt = f.get("refresh_token") ?? "";
      user = this.refreshTokenUsers.get(rt) ?? user;
      this.redeemedRefreshTokens.push(rt);
      if (!this.validRefreshTokens.delete(rt)) {
        this.refreshTokenReuse++;
        return invalidGrant();
      }
    } else {
      const code = this.codes.get(f.get("code") ?? "");
      if (!code) return invalidGrant();
      this.codes.delete(f.get("code") ?? "");
      const verifier = f.get("code_verifier") ?? "";
      if (base64UrlEncode(sha256Sync(new TextEncoder().encode(verifier))) !== code.challenge) return invalidGrant();
      this.pkcePairs.push({ verifier, challenge: code.challenge });
      nonce = this.nonceOverride ?? code.nonce;
      user = code.user;
    }
    const n = ++this.counter;
    const rt = `rt-${n}`;
    this.validRefreshTokens.add(rt);
    this.refreshTokenUsers.set(rt, user);
    return {
      status: 200,
      body: {
        token_type: "Bearer",
        scope: `${(f.get("scope") ?? "").split(" ").filter((s) => !["openid", "profile", "offline_access"].includes(s)).join(" ")} openid profile email`,
        expires_in: this.expiresIn,
        ...(this.extExpiresIn !== undefined ? { ext_expires_in: this.extExpiresIn } : {}),
        ...(this.refreshIn !== undefined ? { refresh_in: this.refreshIn } : {}),
        access_token: `at-${n}`,
        refresh_token: rt,
        id_token: makeIdToken({
          aud: CLIENT_ID,
          tid: user.tenant,
          oid: user.oid,
          preferred_username: user.username,
          name: user.name,
          login_hint: "O.hint",
          ...(nonce !== undefined ? { nonce } : {}),
        }),
        client_info: json({ uid: user.oid, utid: user.tenant }),
      },
    };
  }
}

export function invalidGrant(suberror?: string): ScriptedResponse {
  return {
    status: 400,
    body: {
      error: "invalid_grant",
      error_description: "AADSTS70008: The refresh token has expired.",
      error_codes: [70008],
      ...(suberror ? { suberror } : {}),
    },
  };
}

export interface Harness {
  clock: FakeClock;
  http: FakeHttp;
  idp: FakeIdp;
  store: MemoryStore;
  events: BrokerEvent[];
  broker: TokenBroker;
  config: BrokerConfig;
  /** A second broker over the same store (a restarted service worker). */
  restart(): TokenBroker;
}

export function createHarness(options: { policy?: Partial<BrokerPolicy>; config?: Partial<BrokerConfig> } = {}): Harness {
  const clock = new FakeClock();
  const http = new FakeHttp(clock);
  const idp = new FakeIdp(http);
  const store = new MemoryStore();
  const events: BrokerEvent[] = [];
  const config: BrokerConfig = {
    authority: AUTHORITY,
    clientId: CLIENT_ID,
    redirectUri: REDIRECT_URI,
    defaultScopes: ["User.Read"],
    clientCapabilities: ["cp1"],
    ...options.config,
  };
  let seed = 1;
  const make = () =>
    createTokenBroker({
      config,
      clock,
      http,
      store,
      random: new FakeRandom([0.5], (seed += 37)),
      crypto: nodeCrypto,
      lock: new InProcessLock(),
      authorizeFlow: idp.flow,
      events: { emit: (e) => events.push(e) },
      ...(options.policy ? { policy: options.policy } : {}),
    });
  return { clock, http, idp, store, events, broker: make(), config, restart: make };
}

/** Signs in interactively once and returns the result. */
export async function signIn(h: Harness, scopes = ["User.Read"]) {
  return h.broker.acquireToken({ scopes, allowInteraction: true });
}

export const HOUR = 3600_000;
export const MIN = 60_000;

/** A harness signed in interactively once (the IdP has no session, so prompt=none fails first). */
export async function signedIn(options: Parameters<typeof createHarness>[0] = {}): Promise<Harness> {
  const h = createHarness(options);
  h.idp.hasSession = false;
  await signIn(h);
  return h;
}

/** The AuthShellError the promise rejects with; fails the test if it resolves or rejects with anything else. */
export async function rejection(p: Promise<unknown>): Promise<AuthShellError> {
  try {
    await p;
  } catch (error) {
    expect(error).toBeInstanceOf(AuthShellError);
    return error as AuthShellError;
  }
  throw new Error("expected a rejection");
}
