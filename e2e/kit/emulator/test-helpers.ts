/** Helpers for the emulator's own tests (plain fetch against the self-signed HTTPS server). */
import { createHash, randomBytes } from "node:crypto";
import { decodeJwt } from "jose";
import { startTestEmulator, type TestEmulator } from "./control-client.js";
import type { EmulatorOptions } from "./server.js";

// The emulator's certificate is self-signed and made at start.
process.env.NODE_TLS_REJECT_UNAUTHORIZED = "0";

export const ORIGIN = "http://localhost:3000";
export const REDIRECT_URI = "http://localhost:3000/";
const PASSWORD = "Passw0rd!";

export interface Pkce {
  verifier: string;
  challenge: string;
}

export function createPkce(): Pkce {
  const verifier = randomBytes(32).toString("base64url");
  return { verifier, challenge: createHash("sha256").update(verifier).digest("base64url") };
}

export async function startForTest(options: EmulatorOptions = {}): Promise<TestEmulator> {
  return startTestEmulator(options);
}

export function authorizeUrl(emu: TestEmulator, params: Record<string, string | undefined> = {}): string {
  const query = new URLSearchParams();
  const all: Record<string, string | undefined> = {
    client_id: emu.clientId,
    response_type: "code",
    redirect_uri: REDIRECT_URI,
    scope: "User.Read openid profile offline_access",
    state: "state-123",
    nonce: "nonce-456",
    code_challenge_method: "S256",
    client_info: "1",
    ...params,
  };
  for (const [k, v] of Object.entries(all)) if (v !== undefined) query.set(k, v);
  return `${emu.authority}/oauth2/v2.0/authorize?${query}`;
}

/** Parameters of a redirect to the redirect URI (fragment or query). */
export function redirectParams(location: string | null): URLSearchParams {
  if (!location) throw new Error("no Location header");
  const url = new URL(location);
  return new URLSearchParams(url.hash ? url.hash.slice(1) : url.search.slice(1));
}

function sessionCookieFrom(res: Response): string | undefined {
  const setCookie = res.headers.get("set-cookie");
  return setCookie?.split(";")[0];
}

export interface SignInResult {
  code: string;
  cookie: string;
  pkce: Pkce;
  params: URLSearchParams;
}

/** Interactive sign-in: GET authorize (login page), POST the form, follow nothing. */
export async function signIn(emu: TestEmulator, options: { username?: string; password?: string; params?: Record<string, string | undefined> } = {}): Promise<SignInResult> {
  const pkce = createPkce();
  const query = new URL(authorizeUrl(emu, { code_challenge: pkce.challenge, ...options.params })).searchParams;
  const res = await fetch(`${emu.authority}/oauth2/v2.0/authorize`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ request: query.toString(), username: options.username ?? "adele@contoso.test", password: options.password ?? PASSWORD }),
  });
  if (res.status !== 302) throw new Error(`sign-in failed with ${res.status}`);
  const params = redirectParams(res.headers.get("location"));
  const code = params.get("code");
  if (!code) throw new Error(`no code: ${params}`);
  return { code, cookie: sessionCookieFrom(res)!, pkce, params };
}

export function tokenUrl(emu: TestEmulator): string {
  return `${emu.authority}/oauth2/v2.0/token`;
}

export async function postToken(emu: TestEmulator, form: Record<string, string | undefined>, headers: Record<string, string> = { Origin: ORIGIN }): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(form)) if (v !== undefined) body.set(k, v);
  const res = await fetch(tokenUrl(emu), { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded", ...headers }, body });
  return { status: res.status, body: (await res.json()) as Record<string, unknown>, headers: res.headers };
}

export function redeemCode(emu: TestEmulator, signInResult: SignInResult, overrides: Record<string, string | undefined> = {}, headers?: Record<string, string>) {
  return postToken(
    emu,
    {
      grant_type: "authorization_code",
      client_id: emu.clientId,
      code: signInResult.code,
      redirect_uri: REDIRECT_URI,
      code_verifier: signInResult.pkce.verifier,
      scope: "User.Read openid profile offline_access",
      client_info: "1",
      ...overrides,
    },
    headers,
  );
}

export function refresh(emu: TestEmulator, refreshToken: string, overrides: Record<string, string | undefined> = {}, headers?: Record<string, string>) {
  return postToken(
    emu,
    { grant_type: "refresh_token", client_id: emu.clientId, refresh_token: refreshToken, scope: "User.Read openid profile offline_access", client_info: "1", ...overrides },
    headers,
  );
}

/** Signs in and redeems the code: the usual starting point. */
export async function signInAndRedeem(emu: TestEmulator, options: { username?: string; claims?: string } = {}) {
  const result = await signIn(emu, { username: options.username, params: options.claims ? { claims: options.claims } : {} });
  const token = await redeemCode(emu, result);
  if (token.status !== 200) throw new Error(`redeem failed: ${JSON.stringify(token.body)}`);
  return { ...result, tokens: token.body as { access_token: string; refresh_token: string; id_token: string; [k: string]: unknown } };
}

export function claimsOf(jwt: unknown): Record<string, unknown> {
  return decodeJwt(String(jwt)) as Record<string, unknown>;
}

export function callMe(emu: TestEmulator, accessToken: string) {
  return fetch(`${emu.url}/v1.0/me`, { headers: { Authorization: `Bearer ${accessToken}`, Origin: ORIGIN } });
}

export const CP1_CLAIMS = JSON.stringify({ access_token: { xms_cc: { values: ["cp1"] } } });

export function expectEntraErrorShape(body: Record<string, unknown>): void {
  const missing = ["error", "error_description", "error_codes", "timestamp", "trace_id", "correlation_id"].filter((k) => !(k in body));
  if (missing.length > 0) throw new Error(`not an Entra error: missing ${missing.join(", ")}`);
  if (!String(body.error_description).startsWith(`AADSTS${(body.error_codes as number[])[0]}:`)) throw new Error("error_description does not start with its AADSTS code");
}
