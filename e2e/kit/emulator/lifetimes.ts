/** Token, code and session lifetimes, adjustable at run time through `POST /__control/lifetimes`. */
export interface Lifetimes {
  /**
   * `expires_in` of ordinary access tokens. Unset (the default): randomised in 60–90 minutes per token,
   * as Entra does ("a random value between 60-90 minutes (75 minutes on average)"); set: fixed.
   */
  accessTokenSeconds?: number;
  /** Fixed `refresh_in`; when undefined, `refresh_in` is half the lifetime for lifetimes ≥ 2 h, else absent. */
  refreshInSeconds?: number;
  /** Extra seconds added to `expires_in` to form `ext_expires_in` (Entra usually returns them equal). */
  extExpiresExtraSeconds: number;
  /** Lifetime of a single-page-app refresh-token family (fixed from sign-in, not sliding; Entra: 24 h). */
  refreshTokenSeconds: number;
  /** Lifetime of access tokens issued to clients declaring the `cp1` capability (Entra: 20–28 h). */
  caeAccessTokenSeconds: number;
  /** Lifetime of the browser session cookie at the authorize endpoint (Entra "Stay signed in": up to 90 days). */
  sessionSeconds: number;
  /** Lifetime of authorization codes (Entra: 10 minutes). */
  authorizationCodeSeconds: number;
}

export const DEFAULT_LIFETIMES: Lifetimes = {
  accessTokenSeconds: undefined,
  refreshInSeconds: undefined,
  extExpiresExtraSeconds: 0,
  refreshTokenSeconds: 24 * 3600,
  caeAccessTokenSeconds: 28 * 3600,
  sessionSeconds: 90 * 24 * 3600,
  authorizationCodeSeconds: 600,
};

/** Non-SPA (public/native) refresh tokens: 90 days, sliding with each use. */
export const NON_SPA_REFRESH_TOKEN_SECONDS = 90 * 24 * 3600;

const NUMERIC_KEYS = [
  "accessTokenSeconds",
  "refreshInSeconds",
  "extExpiresExtraSeconds",
  "refreshTokenSeconds",
  "caeAccessTokenSeconds",
  "sessionSeconds",
  "authorizationCodeSeconds",
] as const;

/** Validates a partial lifetimes patch from JSON; returns an error message or the patch. */
export function parseLifetimesPatch(input: unknown): Partial<Lifetimes> | string {
  if (typeof input !== "object" || input === null || Array.isArray(input)) return "body must be a JSON object";
  const patch: Partial<Lifetimes> = {};
  for (const [key, value] of Object.entries(input)) {
    if (!(NUMERIC_KEYS as readonly string[]).includes(key)) return `unknown lifetime '${key}'`;
    if ((key === "refreshInSeconds" || key === "accessTokenSeconds") && value === null) {
      patch[key] = undefined;
      continue;
    }
    if (typeof value !== "number" || !Number.isFinite(value) || value < 0 || value > 10 * 365 * 24 * 3600) {
      return `'${key}' must be a non-negative number of seconds`;
    }
    (patch as Record<string, number>)[key] = value;
  }
  return patch;
}

/** `refresh_in` for a token of `lifetimeSeconds`, per the emulator's rule. */
export function refreshInFor(lifetimes: Lifetimes, lifetimeSeconds: number): number | undefined {
  if (lifetimes.refreshInSeconds !== undefined) return Math.min(lifetimes.refreshInSeconds, lifetimeSeconds);
  return lifetimeSeconds >= 7200 ? Math.floor(lifetimeSeconds / 2) : undefined;
}

/** Entra's randomised access-token lifetime range (seconds): 60 to 90 minutes. */
const RANDOM_ACCESS_TOKEN_SECONDS = { min: 3600, max: 5400 } as const;

/** `expires_in` for a new ordinary access token: the fixed lifetime, or a random one in Entra's range. */
export function accessTokenLifetime(lifetimes: Lifetimes, random: () => number): number {
  if (lifetimes.accessTokenSeconds !== undefined) return lifetimes.accessTokenSeconds;
  const { min, max } = RANDOM_ACCESS_TOKEN_SECONDS;
  return min + Math.min(max - min, Math.floor(random() * (max - min + 1)));
}
