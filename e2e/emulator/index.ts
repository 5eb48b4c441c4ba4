/**
 * `resilient-token-broker/emulator`: an Entra-compatible identity provider for app teams' tests, with
 * fault injection (throttling, outages, hangs, revocation) and a request log to assert against.
 * Only what is exported here is public; everything else under e2e/emulator/ is internal.
 */
export { startTestEmulator as startEmulator, EmulatorControl } from "../support/emulator.js";
export type {
  TestEmulator as Emulator,
  EmulatorOptions,
  FaultSpec,
  ActiveFault,
  Lifetimes,
  RequestLogEntry,
  RequestLogFilter,
  ClientRegistration,
  EmulatorMetrics,
} from "../support/emulator.js";
