import { EMULATOR_DEFAULT_PORT } from "../../../shared/config/defaults.js";

export const USAGE = `Usage: entra-emulator [--port <n>] [--host <h>] [--no-loop-detection] [--refresh-token-reuse allow|revoke_family]

Starts the Entra ID v2 compatible identity emulator over HTTPS (self-signed certificate) and prints one
JSON line {"url","tenant","clientId"} on stdout; runs until SIGTERM/SIGINT.

  --port <n>                 TCP port (default ${EMULATOR_DEFAULT_PORT}; 0 picks a free one)
  --host <h>                 interface to bind (default localhost)
  --no-loop-detection        answer request loops normally instead of AADSTS50196
  --refresh-token-reuse <m>  allow (default, as Entra) or revoke_family (strict)
  -h, --help                 show this help
`;

export interface CliOptions {
  port: number;
  host?: string;
  loopDetection: boolean;
  refreshTokenReuse: "allow" | "revoke_family";
}

/** Parses the CLI's arguments: the options, "help", or a sentence saying what is wrong. */
export function parseCliArgs(args: readonly string[]): CliOptions | "help" | { error: string } {
  const options: CliOptions = { port: EMULATOR_DEFAULT_PORT, loopDetection: true, refreshTokenReuse: "allow" };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "-h" || arg === "--help") return "help";
    if (arg === "--no-loop-detection") {
      options.loopDetection = false;
      continue;
    }
    const eq = arg.indexOf("=");
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    if (name !== "--port" && name !== "--host" && name !== "--refresh-token-reuse") {
      return { error: `Unknown option '${arg.slice(0, 60)}'. Run entra-emulator --help for the options.` };
    }
    const value = eq > 0 ? arg.slice(eq + 1) : args[++i];
    if (value === undefined || value === "") return { error: `Option ${name} needs a value.` };
    if (name === "--port") {
      const port = /^\d+$/.test(value) ? Number(value) : NaN;
      if (!Number.isInteger(port) || port < 0 || port > 65535) return { error: `Invalid --port '${value.slice(0, 20)}': use a number from 0 to 65535.` };
      options.port = port;
    } else if (name === "--host") options.host = value;
    else {
      if (value !== "allow" && value !== "revoke_family") return { error: `Invalid --refresh-token-reuse '${value.slice(0, 20)}': use allow or revoke_family.` };
      options.refreshTokenReuse = value;
    }
  }
  return options;
}
