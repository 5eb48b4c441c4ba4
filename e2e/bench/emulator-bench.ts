/**
 * Emulator benchmark: start-up time and sustained refresh-token grants per second with concurrent
 * clients over keep-alive connections. Run directly: `npx tsx e2e/bench/emulator-bench.ts`.
 * Numbers are reported, never asserted in tests.
 */
import { spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { Agent, request } from "node:https";
import { performance } from "node:perf_hooks";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { startEmulator } from "../kit/emulator/server.js";

export interface EmulatorBenchOptions {
  /** Concurrent clients, each with its own rotating refresh-token chain. Default 16. */
  concurrency?: number;
  /** Measuring window in ms. Default 3000. */
  durationMs?: number;
}

export interface EmulatorBenchResult {
  /** In-process `startEmulator()` until listening (TLS certificate + RS256 key generation included). */
  startupMs: number;
  /** Child process `npm run emulator` equivalent until its JSON start line (includes tsx start). */
  cliStartupMs: number;
  /** With request-loop detection on (thresholds raised so that it counts every grant but never trips). */
  refreshGrantsPerSecond: number;
  grants: number;
  errors: number;
  /** The same load with loop detection off (`--no-loop-detection`), measured in the same run. */
  loopDetectionOff: { refreshGrantsPerSecond: number; grants: number; errors: number; latencyP50Ms: number; latencyP95Ms: number };
  concurrency: number;
  durationMs: number;
  latencyP50Ms: number;
  latencyP95Ms: number;
}

const ORIGIN = "http://localhost:3000";
const REDIRECT_URI = "http://localhost:3000/";
const SCOPE = "User.Read openid profile offline_access";

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function send(agent: Agent, url: string, method: string, headers: Record<string, string>, body?: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, agent, headers: body ? { ...headers, "Content-Length": String(Buffer.byteLength(body)) } : headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

async function signIn(agent: Agent, authority: string, clientId: string): Promise<string> {
  const verifier = randomBytes(32).toString("base64url");
  const challenge = createHash("sha256").update(verifier).digest("base64url");
  const query = new URLSearchParams({ client_id: clientId, response_type: "code", redirect_uri: REDIRECT_URI, scope: SCOPE, code_challenge: challenge, code_challenge_method: "S256", state: "s" });
  const form = new URLSearchParams({ request: query.toString(), username: "adele@contoso.test", password: "Passw0rd!" });
  const login = await send(agent, `${authority}/oauth2/v2.0/authorize`, "POST", { "Content-Type": "application/x-www-form-urlencoded" }, form.toString());
  const location = String(login.headers.location ?? "");
  // response_mode defaults to query (as Entra for response_type=code).
  const code = new URL(location, "https://x").searchParams.get("code");
  if (!code) throw new Error(`bench sign-in failed (${login.status})`);
  const redeem = new URLSearchParams({ grant_type: "authorization_code", client_id: clientId, code, redirect_uri: REDIRECT_URI, code_verifier: verifier, scope: SCOPE });
  const tokens = await send(agent, `${authority}/oauth2/v2.0/token`, "POST", { "Content-Type": "application/x-www-form-urlencoded", Origin: ORIGIN }, redeem.toString());
  return (JSON.parse(tokens.body) as { refresh_token: string }).refresh_token;
}

function startCliEmulator(extraArgs: string[] = []): Promise<{ url: string; tenant: string; clientId: string; startupMs: number; stop: () => Promise<void> }> {
  const started = performance.now();
  const cli = fileURLToPath(new URL("../emulator/cli.ts", import.meta.url));
  const child = spawn(process.execPath, ["--import", "tsx", cli, "--port", "0", ...extraArgs], { stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`emulator exited early (${code})`)));
    createInterface({ input: child.stdout! }).once("line", (line) => {
      const info = JSON.parse(line) as { url: string; tenant: string; clientId: string };
      resolve({
        ...info,
        startupMs: performance.now() - started,
        stop: () =>
          new Promise<void>((done) => {
            child.removeAllListeners("exit");
            child.once("exit", () => done());
            child.kill("SIGTERM");
          }),
      });
    });
  });
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export async function runEmulatorBench(options: EmulatorBenchOptions = {}): Promise<EmulatorBenchResult> {
  const concurrency = options.concurrency ?? 16;
  const durationMs = options.durationMs ?? 3000;

  const t0 = performance.now();
  const inProcess = await startEmulator({ port: 0 });
  const startupMs = performance.now() - t0;
  await inProcess.close();

  // The load runs against a separate process, so the client does not steal the server's event loop.
  const on = await startCliEmulator();
  let measured: LoadResult;
  try {
    // Detection stays on and counts every grant; thresholds are raised because the bench's 16 chains
    // of one user are a storm by design, and the cost of detecting is what is measured here.
    await send(new Agent({ rejectUnauthorized: false }), `${on.url}/__control/settings`, "POST", { "Content-Type": "application/json" }, JSON.stringify({ loopDetection: { maxRequests: 1_000_000 } }));
    measured = await runLoad(on, concurrency, durationMs);
  } finally {
    await on.stop();
  }
  const off = await startCliEmulator(["--no-loop-detection"]);
  let baseline: LoadResult;
  try {
    baseline = await runLoad(off, concurrency, durationMs);
  } finally {
    await off.stop();
  }
  return {
    startupMs: Math.round(startupMs),
    cliStartupMs: Math.round(on.startupMs),
    ...measured,
    concurrency,
    loopDetectionOff: {
      refreshGrantsPerSecond: baseline.refreshGrantsPerSecond,
      grants: baseline.grants,
      errors: baseline.errors,
      latencyP50Ms: baseline.latencyP50Ms,
      latencyP95Ms: baseline.latencyP95Ms,
    },
  };
}

interface LoadResult {
  refreshGrantsPerSecond: number;
  grants: number;
  errors: number;
  durationMs: number;
  latencyP50Ms: number;
  latencyP95Ms: number;
}

async function runLoad(emulator: { url: string; tenant: string; clientId: string }, concurrency: number, durationMs: number): Promise<LoadResult> {
  const authority = `${emulator.url}/${emulator.tenant}`;
  const agent = new Agent({ rejectUnauthorized: false, keepAlive: true, maxSockets: concurrency });
  let grants = 0;
  let errors = 0;
  const latencies: number[] = [];
  try {
    const chains = await Promise.all(Array.from({ length: concurrency }, () => signIn(agent, authority, emulator.clientId)));
    const deadline = performance.now() + durationMs;
    const windowStart = performance.now();
    await Promise.all(
      chains.map(async (initial) => {
        let refreshToken = initial;
        while (performance.now() < deadline) {
          const form = new URLSearchParams({ grant_type: "refresh_token", client_id: emulator.clientId, refresh_token: refreshToken, scope: SCOPE });
          const sent = performance.now();
          const reply = await send(agent, `${authority}/oauth2/v2.0/token`, "POST", { "Content-Type": "application/x-www-form-urlencoded", Origin: ORIGIN }, form.toString());
          latencies.push(performance.now() - sent);
          if (reply.status !== 200) {
            errors++;
            refreshToken = await signIn(agent, authority, emulator.clientId);
            continue;
          }
          grants++;
          refreshToken = (JSON.parse(reply.body) as { refresh_token: string }).refresh_token;
        }
      }),
    );
    const elapsed = performance.now() - windowStart;
    latencies.sort((a, b) => a - b);
    return {
      refreshGrantsPerSecond: Math.round((grants / elapsed) * 1000),
      grants,
      errors,
      durationMs: Math.round(elapsed),
      latencyP50Ms: Math.round(percentile(latencies, 50) * 10) / 10,
      latencyP95Ms: Math.round(percentile(latencies, 95) * 10) / 10,
    };
  } finally {
    agent.destroy();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  runEmulatorBench().then(
    (result) => console.log(JSON.stringify(result, null, 2)),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
