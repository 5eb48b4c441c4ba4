import { parseCliArgs, USAGE } from "./cli-args.js";
import { startEmulator } from "./server.js";

/** `npm run emulator` / `entra-emulator`: prints one JSON start line, runs until SIGTERM/SIGINT. */
async function main(): Promise<void> {
  const parsed = parseCliArgs(process.argv.slice(2));
  if (parsed === "help") {
    process.stdout.write(USAGE);
    return;
  }
  if ("error" in parsed) {
    console.error(`entra-emulator: ${parsed.error}`);
    process.exit(2);
  }
  const emulator = await startEmulator({
    port: parsed.port,
    host: parsed.host,
    refreshTokenReuse: parsed.refreshTokenReuse,
    ...(parsed.loopDetection ? {} : { loopDetection: false as const }),
  });
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
