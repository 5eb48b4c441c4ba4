import { EMULATOR_CLIENT_ID } from "../../../shared/config/defaults.js";
import { EXTENSION_REDIRECT_URIS } from "../../../shared/config/extension-ids.js";

/** An app registration. `spa` mirrors Entra's "Single-page application" platform. */
export interface ClientRegistration {
  clientId: string;
  displayName: string;
  type: "spa" | "public";
  /** Exact redirect URIs. A loopback entry (`http://localhost…`, `http://127.0.0.1…`) matches any port. */
  redirectUris: string[];
  /** Accept any `http://localhost` / `http://127.0.0.1` redirect URI, whatever its port and path. */
  anyLoopbackRedirect: boolean;
}

export const DEFAULT_CLIENT: ClientRegistration = {
  clientId: EMULATOR_CLIENT_ID,
  displayName: "Resilient Token Broker (emulator default)",
  type: "spa",
  redirectUris: [...EXTENSION_REDIRECT_URIS, "http://localhost/", "http://127.0.0.1/"],
  anyLoopbackRedirect: true,
};

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

function parseUrl(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

/** True when `redirectUri` is registered for `client` (Entra ignores the port of loopback URIs). */
export function isRegisteredRedirect(client: ClientRegistration, redirectUri: string): boolean {
  if (redirectUri.length > 2048) return false;
  const candidate = parseUrl(redirectUri);
  if (!candidate || candidate.hash || candidate.username || candidate.password) return false;
  if (client.redirectUris.includes(redirectUri)) return true;
  const loopback = candidate.protocol === "http:" && LOOPBACK_HOSTS.has(candidate.hostname);
  if (!loopback) return false;
  if (client.anyLoopbackRedirect) return true;
  return client.redirectUris.some((registered) => {
    const url = parseUrl(registered);
    return (
      url !== undefined &&
      url.protocol === "http:" &&
      url.hostname === candidate.hostname &&
      url.pathname === candidate.pathname &&
      url.search === candidate.search
    );
  });
}

export class ClientRegistry {
  private readonly clients = new Map<string, ClientRegistration>();

  constructor() {
    this.reset();
  }

  reset(): void {
    this.clients.clear();
    this.clients.set(DEFAULT_CLIENT.clientId, { ...DEFAULT_CLIENT, redirectUris: [...DEFAULT_CLIENT.redirectUris] });
  }

  get(clientId: string | undefined | null): ClientRegistration | undefined {
    return clientId ? this.clients.get(clientId) : undefined;
  }

  register(client: ClientRegistration): void {
    this.clients.set(client.clientId, client);
  }

  all(): ClientRegistration[] {
    return [...this.clients.values()];
  }
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Validates a `POST /__control/clients` body. */
export function parseClientRegistration(input: unknown): ClientRegistration | string {
  if (typeof input !== "object" || input === null) return "body must be a JSON object";
  const body = input as Record<string, unknown>;
  if (typeof body.clientId !== "string" || !GUID.test(body.clientId)) return "clientId must be a GUID";
  const type = body.type ?? "spa";
  if (type !== "spa" && type !== "public") return "type must be 'spa' or 'public'";
  const uris = body.redirectUris;
  if (!Array.isArray(uris) || uris.length === 0 || uris.length > 100 || !uris.every((u) => typeof u === "string" && parseUrl(u))) {
    return "redirectUris must be a non-empty array of absolute URLs";
  }
  return {
    clientId: body.clientId.toLowerCase(),
    displayName: typeof body.displayName === "string" ? body.displayName.slice(0, 200) : "Registered client",
    type,
    redirectUris: uris as string[],
    anyLoopbackRedirect: body.anyLoopbackRedirect === true,
  };
}
