import { EMULATOR_DEFAULT_PORT } from "../../shared/config/emulator-defaults.js";
import { startEmulator } from "./server.js";

/** `npm run emulator -- --port <n> [--host <h>]`: prints one JSON start line, runs until SIGTERM/SIGINT. */
function argValue(name: string): string | undefined {
  const args = process.argv.slice(2);
  const index = args.indexOf(name);
  if (index >= 0) return args[index + 1];
  const inline = args.find((a) => a.startsWith(`${name}=`));
  return inline?.slice(name.length + 1);
}

async function main(): Promise<void> {
  const portArg = argValue("--port");
  const port = portArg === undefined ? EMULATOR_DEFAULT_PORT : Number(portArg);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`emulator: invalid --port '${portArg}'`);
    process.exit(2);
  }
  const emulator = await startEmulator({ port, host: argValue("--host") });
  process.stdout.write(`${JSON.stringify({ url: emulator.url, tenant: emulator.tenant, clientId: emulator.clientId })}\n`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.error(`emulator: ${signal} received, shutting down`);
    emulator.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
}

main().catch((err: unknown) => {
  console.error("emulator: failed to start:", err instanceof Error ? err.message : String(err));
  process.exit(1);
});
