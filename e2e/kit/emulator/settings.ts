/**
 * Behaviour switches, set at start (`startEmulator({ loopDetection, refreshTokenReuse })`) or through
 * `POST /__control/settings`; `reset` goes back to the start values.
 */
export interface LoopDetectionSettings {
  enabled: boolean;
  /** Identical requests allowed in the window; the next one gets AADSTS50196. */
  maxRequests: number;
  windowSeconds: number;
}

export interface EmulatorSettings {
  /**
   * Entra answers a client that repeats the same token request in a short time with AADSTS50196
   * ("client request loop"); it publishes no thresholds. Ours: more than 20 identical requests (same
   * endpoint, grant, client, user and scopes) within 10 s, far above what a cached client sends.
   */
  loopDetection: LoopDetectionSettings;
  /**
   * `allow` (Entra's behaviour): an earlier refresh token stays redeemable until its family expires.
   * `revoke_family` (stricter, opt-in): presenting an already-used refresh token revokes its family.
   */
  refreshTokenReuse: "allow" | "revoke_family";
}

export const DEFAULT_SETTINGS: EmulatorSettings = {
  loopDetection: { enabled: true, maxRequests: 20, windowSeconds: 10 },
  refreshTokenReuse: "allow",
};

export interface SettingsPatch {
  loopDetection?: Partial<LoopDetectionSettings> | false;
  refreshTokenReuse?: EmulatorSettings["refreshTokenReuse"];
}

export function applySettings(base: EmulatorSettings, patch: SettingsPatch): EmulatorSettings {
  const loop = patch.loopDetection === false ? { ...base.loopDetection, enabled: false } : { ...base.loopDetection, ...patch.loopDetection };
  return { loopDetection: loop, refreshTokenReuse: patch.refreshTokenReuse ?? base.refreshTokenReuse };
}

/** Validates a settings patch from JSON; returns the patch or a problem. */
export function parseSettingsPatch(input: unknown): SettingsPatch | string {
  if (typeof input !== "object" || input === null || Array.isArray(input)) return "body must be a JSON object";
  const b = input as Record<string, unknown>;
  const unknown = Object.keys(b).find((k) => k !== "loopDetection" && k !== "refreshTokenReuse");
  if (unknown) return `unknown setting '${unknown.slice(0, 40)}'`;
  const patch: SettingsPatch = {};
  if (b.refreshTokenReuse !== undefined) {
    if (b.refreshTokenReuse !== "allow" && b.refreshTokenReuse !== "revoke_family") return "refreshTokenReuse must be 'allow' or 'revoke_family'";
    patch.refreshTokenReuse = b.refreshTokenReuse;
  }
  if (b.loopDetection === false) patch.loopDetection = false;
  else if (b.loopDetection !== undefined) {
    if (typeof b.loopDetection !== "object" || b.loopDetection === null) return "loopDetection must be an object or false";
    const l = b.loopDetection as Record<string, unknown>;
    const loop: Partial<LoopDetectionSettings> = {};
    if (l.enabled !== undefined) {
      if (typeof l.enabled !== "boolean") return "loopDetection.enabled must be a boolean";
      loop.enabled = l.enabled;
    }
    for (const key of ["maxRequests", "windowSeconds"] as const) {
      const v = l[key];
      if (v === undefined) continue;
      if (typeof v !== "number" || !Number.isInteger(v) || v < 1 || v > 1_000_000) return `loopDetection.${key} must be a positive integer`;
      loop[key] = v;
    }
    patch.loopDetection = loop;
  }
  return patch;
}
