import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import type { ServerResponse } from "node:http";
import { EMULATOR_TENANT_ID } from "../../../shared/config/defaults.js";
import { DEFAULT_CLIENT } from "./clients.js";
import { EmulatorContext, type EmulatorClock } from "./context.js";
import { DEFAULT_LIFETIMES, type Lifetimes } from "./lifetimes.js";
import { applySettings, DEFAULT_SETTINGS, type EmulatorSettings, type LoopDetectionSettings } from "./settings.js";
import { createRequestHandler, type RouterTimers } from "./router.js";
import { SigningKey } from "./signing-key.js";
import { createSelfSignedCertificate } from "./tls.js";

export interface EmulatorOptions {
  /** TCP port; 0 (the default) picks a free one. The CLI defaults to 8443. */
  port?: number;
  /** Interface to bind. Default "localhost": both 127.0.0.1 and ::1 (when available). */
  host?: string;
  /** Tenant ID (default: the fixed emulator tenant from shared/config/defaults.ts). */
  tenant?: string;
  /** Time source for tokens, codes, sessions and fault windows (inject a FakeClock in tests). */
  clock?: EmulatorClock;
  /** Initial lifetimes (changeable later through the control API; `reset` returns to these). */
  lifetimes?: Partial<Lifetimes>;
  /** Request-loop detection (AADSTS50196): thresholds, or `false` to turn it off. On by default. */
  loopDetection?: Partial<LoopDetectionSettings> | false;
  /** `allow` (default, as Entra) or `revoke_family` (strict: a reused refresh token revokes its family). */
  refreshTokenReuse?: EmulatorSettings["refreshTokenReuse"];
  /** Random source in [0, 1) for randomised access-token lifetimes (tests inject a fixed one). */
  random?: () => number;
}

export interface RunningEmulator {
  /** e.g. https://localhost:8443 */
  url: string;
  tenant: string;
  /** The default SPA client's ID. */
  clientId: string;
  /** `${url}/${tenant}`: the authority to configure in clients. */
  authority: string;
  /** Internal state, for in-process tests (prefer the control API). */
  context: EmulatorContext;
  close(): Promise<void>;
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    server.once("error", onError);
    server.listen(port, host, () => {
      server.off("error", onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/** Starts the Entra-compatible identity emulator over HTTPS with a fresh self-signed certificate. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const [tls, key] = await Promise.all([createSelfSignedCertificate(), SigningKey.create()]);
  const tenant = options.tenant ?? EMULATOR_TENANT_ID;
  const settings = applySettings(DEFAULT_SETTINGS, { loopDetection: options.loopDetection, refreshTokenReuse: options.refreshTokenReuse });
  const ctx = new EmulatorContext(tenant, options.clock ?? { now: () => Date.now() }, key, settings, { ...DEFAULT_LIFETIMES, ...options.lifetimes });
  if (options.random) ctx.random = options.random;
  const runtime: RouterTimers = { hanging: new Set<ServerResponse>(), timers: new Set() };
  const handler = createRequestHandler(ctx, runtime);
  const makeServer = () => {
    const server = createServer({ key: tls.key, cert: tls.cert, keepAliveTimeout: 30_000, requestTimeout: 0, maxHeaderSize: 32 * 1024 }, handler);
    server.on("clientError", (err: NodeJS.ErrnoException, socket) => {
      const status = err.code === "HPE_HEADER_OVERFLOW" ? "431 Request Header Fields Too Large" : "400 Bad Request";
      if (socket.writable) socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      else socket.destroy();
    });
    return server;
  };
  const servers: Server[] = [];
  const host = options.host ?? "localhost";
  const primary = makeServer();
  servers.push(primary);
  let port: number;
  if (host === "localhost") {
    port = await listen(primary, options.port ?? 0, "127.0.0.1");
    const ipv6 = makeServer();
    try {
      await listen(ipv6, port, "::1");
      servers.push(ipv6);
    } catch {
      // No IPv6 loopback on this machine: 127.0.0.1 alone serves "localhost".
    }
  } else {
    port = await listen(primary, options.port ?? 0, host);
  }
  const displayHost = host === "localhost" || host === "127.0.0.1" || host === "::1" || host === "0.0.0.0" || host === "::" ? "localhost" : host;
  ctx.url = `https://${displayHost}:${port}`;
  return {
    url: ctx.url,
    tenant,
    clientId: DEFAULT_CLIENT.clientId,
    authority: `${ctx.url}/${tenant}`,
    context: ctx,
    async close() {
      for (const timer of runtime.timers) clearTimeout(timer);
      runtime.timers.clear();
      for (const res of runtime.hanging) res.destroy();
      runtime.hanging.clear();
      await Promise.all(servers.map(closeServer));
    },
  };
}
