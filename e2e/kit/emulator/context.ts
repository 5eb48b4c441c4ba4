import type { ServerResponse } from "node:http";
import { AuthorizationCodeStore } from "./authorization-codes.js";
import { ClientRegistry } from "./clients.js";
import { ConsentStore } from "./consent.js";
import { entraErrorBody, type EntraErrorSpec } from "./entra-error.js";
import { FaultTable } from "./faults.js";
import { corsHeaders, sendJson } from "./http-util.js";
import { DEFAULT_LIFETIMES, type Lifetimes } from "./lifetimes.js";
import { RefreshTokenStore } from "./refresh-tokens.js";
import { LoopDetector } from "./loop-detector.js";
import { RequestLog } from "./request-log.js";
import { DEFAULT_SETTINGS, type EmulatorSettings } from "./settings.js";
import { SessionStore } from "./sessions.js";
import type { SigningKey } from "./signing-key.js";

export interface EmulatorClock {
  now(): number;
}

/** Everything the route handlers share. */
export class EmulatorContext {
  url = "";
  lifetimes: Lifetimes = { ...DEFAULT_LIFETIMES };
  readonly clients = new ClientRegistry();
  readonly sessions = new SessionStore();
  readonly codes = new AuthorizationCodeStore();
  readonly refreshTokens = new RefreshTokenStore();
  readonly faults = new FaultTable();
  readonly log = new RequestLog();
  readonly consents = new ConsentStore();
  readonly loops = new LoopDetector();
  settings: EmulatorSettings;
  /** Random source for randomised lifetimes (injectable for tests). */
  random: () => number = Math.random;
  /** username → epoch ms of the last `revoke` (CAE: tokens issued before it are challenged). */
  readonly revokedAt = new Map<string, number>();
  readonly startedAt: number;

  constructor(
    readonly tenant: string,
    readonly clock: EmulatorClock,
    readonly key: SigningKey,
    /** The settings `reset` returns to (the start options). */
    readonly startSettings: EmulatorSettings = DEFAULT_SETTINGS,
    /** The lifetimes `reset` returns to (the start options). */
    readonly startLifetimes: Lifetimes = DEFAULT_LIFETIMES,
  ) {
    this.startedAt = clock.now();
    this.settings = structuredClone(startSettings);
    this.lifetimes = { ...startLifetimes };
  }

  /** True for the multi-tenant aliases, whose codes any tenant path may redeem. */
  static isMultiTenantPath(tenant: string): boolean {
    const t = tenant.toLowerCase();
    return t === "common" || t === "organizations";
  }

  now(): number {
    return this.clock.now();
  }

  get issuer(): string {
    return `${this.url}/${this.tenant}/v2.0`;
  }

  /** Cookie name, per emulator port, so that emulators on different ports never share a session. */
  get sessionCookieName(): string {
    const port = new URL(this.url || "https://localhost").port || "443";
    return `emu_session_${port}`;
  }

  /** The tenants accepted in paths: the tenant ID, its domain and the multi-tenant aliases. */
  acceptsTenant(tenant: string): boolean {
    return [this.tenant, "contoso.test", "common", "organizations"].includes(tenant.toLowerCase());
  }

  reset(): void {
    this.lifetimes = { ...this.startLifetimes };
    this.settings = structuredClone(this.startSettings);
    this.consents.clear();
    this.loops.clear();
    this.clients.reset();
    this.sessions.clear();
    this.codes.clear();
    this.refreshTokens.clear();
    this.faults.clear();
    this.log.resetCounters();
    this.revokedAt.clear();
  }
}

/** Per-request facts gathered by handlers for the request log. */
export interface RequestFacts {
  endpoint: string;
  correlationId: string;
  origin?: string;
  grantType?: string;
  clientId?: string;
  username?: string;
  scope?: string;
  error?: string;
  fault?: string;
  /** The authorize request's `prompt` (none, select_account …), so tests can tell silent from interactive asks. */
  prompt?: string;
  /** The authorize request's `login_hint` (a username, logged like `username`), so tests can see whom a sign-in window was for. */
  loginHint?: string;
}

/** Answers an Entra-shaped JSON error (with CORS headers so browsers can read it). */
export function sendEntraError(
  ctx: EmulatorContext,
  res: ServerResponse,
  facts: RequestFacts,
  spec: EntraErrorSpec,
  extraHeaders: Record<string, string> = {},
): void {
  facts.error = spec.error;
  sendJson(res, spec.status, entraErrorBody(spec, ctx.now(), facts.correlationId, ctx.url), {
    ...corsHeaders(facts.origin),
    "client-request-id": facts.correlationId,
    ...extraHeaders,
  });
}
