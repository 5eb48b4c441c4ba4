/**
 * `resilient-token-broker-testkit/emulator`: an Entra-compatible identity provider for app teams' tests, with
 * fault injection (throttling, outages, hangs, Entra errors, revocation) and a request log to assert
 * against. Only what is exported here is public; everything else under e2e/kit/emulator/ is internal.
 */
import { startTestEmulator, type EmulatorControl, type EmulatorOptions } from "./control-client.js";

export { EmulatorControl } from "./control-client.js";
export type {
  EmulatorOptions,
  FaultSpec,
  ActiveFault,
  Lifetimes,
  LifetimesPatch,
  RequestLogEntry,
  RequestLogFilter,
  ClientRegistration,
  ConsentSpec,
  EntraErrorPreset,
  EmulatorSettings,
  SettingsPatch,
  EmulatorMetrics,
} from "./control-client.js";

/** A running emulator. */
export interface Emulator {
  /** e.g. `https://localhost:41234` (self-signed certificate: browsers need `ignoreHTTPSErrors`). */
  url: string;
  /** The tenant ID. */
  tenant: string;
  /** The default SPA client's ID (any `http://localhost[:port]` redirect URI is registered). */
  clientId: string;
  /** `${url}/${tenant}`: the authority to configure in MSAL. */
  authority: string;
  /** Faults, revocation, expiry, lifetimes, the request log, settings. */
  control: EmulatorControl;
  close(): Promise<void>;
}

/** Starts an emulator on a free port (unless `options.port` is given). */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const running = await startTestEmulator(options);
  return { url: running.url, tenant: running.tenant, clientId: running.clientId, authority: running.authority, control: running.control, close: () => running.close() };
}
