import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";

/**
 * Consumer tests prove a public entry point the way a user meets it: `npm pack` this repository,
 * install the tarball into a fresh project outside it, and use only what that project can import.
 * The tarball is packed once per test run (the first worker to ask packs it, under a directory lock;
 * e2e/support/global-setup.ts empties the pack directory before each run); `npm run build` must have
 * run first (`npm test` builds before the e2e step).
 */

const repoRoot = resolve(import.meta.dirname, "../..");
/** Emptied at the start of every Playwright run (forgetPackedTarballs), so no run installs an older build. */
export const packDir = join(repoRoot, "test-results/consumer-pack");
const readPackageJson = (dir: string) =>
  JSON.parse(readFileSync(join(repoRoot, dir, "package.json"), "utf8")) as {
    name: string;
    version: string;
    dependencies?: Record<string, string>;
    devDependencies?: Record<string, string>;
  };
const rootPackage = readPackageJson(".");

/** The packages this repository publishes (scripts/entry-points.mjs), by name → folder. */
const PACKAGE_DIRS = { "resilient-token-broker": ".", "resilient-token-broker-testkit": "e2e/kit" } as const;
type PackageName = keyof typeof PACKAGE_DIRS;

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** The packed tarball of one of this repository's packages (packs it on first use in this test run). */
function packedTarball(name: PackageName = "resilient-token-broker"): string {
  const dir = PACKAGE_DIRS[name];
  const pkg = readPackageJson(dir);
  const tarball = join(packDir, `${pkg.name}-${pkg.version}.tgz`);
  const lock = join(packDir, `.lock-${pkg.name}`);
  mkdirSync(packDir, { recursive: true });
  for (let waited = 0; ; waited += 200) {
    if (existsSync(tarball) && !existsSync(lock)) return tarball;
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (waited > 180_000) throw new Error(`Timed out waiting for another worker to pack ${tarball}`);
      sleepSync(200);
    }
  }
  try {
    if (!existsSync(tarball)) {
      if (!existsSync(join(repoRoot, dir, "dist/lib"))) throw new Error(`${join(dir, "dist/lib")} is missing: run \`npm run build\` before consumer tests`);
      execFileSync("npm", ["pack", "--silent", "--pack-destination", packDir], { cwd: join(repoRoot, dir), stdio: ["ignore", "ignore", "inherit"] });
    }
    return tarball;
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/**
 * The exact version of a package installed in this repository (from its lock), so the consumer
 * tests what this repository was tested with, and its install hits npm's cache. Not the range: a
 * range lets the consumer pick a release newer than the lock — on 2026-12-04 msal-browser 5.31.0
 * appeared, its msal-common could not be installed here, and every consumer test failed at install.
 */
export function sameVersionAs(name: string): string {
  if (!rootPackage.dependencies?.[name] && !rootPackage.devDependencies?.[name]) {
    throw new Error(`${name} is not a dependency of this repository; pin a version explicitly`);
  }
  const installed = JSON.parse(readFileSync(join(repoRoot, "node_modules", name, "package.json"), "utf8")) as { version: string };
  return installed.version;
}

export interface ConsumerProject {
  /** The project's folder, outside the repository. */
  dir: string;
  /** Runs a command in the project (throws with its output when it fails). */
  run(command: string, args: string[], options?: { env?: NodeJS.ProcessEnv; timeoutMs?: number }): string;
  /** Removes the project's folder. */
  remove(): void;
}

export interface ConsumerProjectSpec {
  /** A short name for the folder. */
  name: string;
  /** Extra dependencies besides the tarball, e.g. `{ react: sameVersionAs("react") }`. */
  dependencies?: Record<string, string>;
  /** Files to write, relative path → contents. */
  files: Record<string, string>;
  /** Extra package.json fields (e.g. `scripts`). */
  packageJson?: Record<string, unknown>;
  /** Which of this repository's packages to install from their tarballs. Default: the broker only. */
  packages?: PackageName[];
}

/**
 * Creates a project in the system temp folder with `package.json` depending on the packed tarball
 * (and `spec.dependencies`), writes `spec.files`, and runs `npm install` in it.
 */
export function createConsumerProject(spec: ConsumerProjectSpec): ConsumerProject {
  const tarballs = Object.fromEntries((spec.packages ?? ["resilient-token-broker"]).map((name) => [name, `file:${packedTarball(name)}`]));
  const dir = mkdtempSync(join(tmpdir(), `rtb-consumer-${spec.name}-`));
  const pkg = {
    name: `consumer-${spec.name}`,
    private: true,
    type: "module",
    ...spec.packageJson,
    dependencies: { ...tarballs, ...spec.dependencies },
  };
  writeFileSync(join(dir, "package.json"), `${JSON.stringify(pkg, null, 2)}\n`);
  for (const [path, contents] of Object.entries(spec.files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), contents);
  }
  const run: ConsumerProject["run"] = (command, args, options = {}) => {
    try {
      return execFileSync(command, args, {
        cwd: dir,
        env: { ...process.env, ...options.env },
        encoding: "utf8",
        timeout: options.timeoutMs ?? 300_000,
        stdio: ["ignore", "pipe", "pipe"],
      });
    } catch (error) {
      const e = error as { stdout?: string; stderr?: string; message: string };
      throw new Error(`${command} ${args.join(" ")} failed in ${dir}:\n${e.message}\n${e.stdout ?? ""}\n${e.stderr ?? ""}`.slice(0, 8000), { cause: error });
    }
  };
  run("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"]);
  return { dir, run, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A consumer's module resolution: what a bundler-based app uses, and what Node libraries and `@tsconfig/node20` use. */
export type ConsumerResolution = "bundler" | "nodenext";

/**
 * The consumer's own `tsc --noEmit` over `include`, under `moduleResolution` (and the matching
 * `module`), strict, and with `skipLibCheck: false` so this package's declarations are checked too.
 * Needs `typescript` among the project's dependencies. Throws with tsc's output when it fails.
 */
export function typecheckConsumer(project: ConsumerProject, options: { resolution: ConsumerResolution; include: string[]; types?: string[]; jsx?: boolean }): void {
  const config = {
    compilerOptions: {
      target: "ES2022",
      module: options.resolution === "nodenext" ? "NodeNext" : "ESNext",
      moduleResolution: options.resolution === "nodenext" ? "NodeNext" : "Bundler",
      lib: ["ES2022", "DOM", "DOM.Iterable"],
      types: options.types ?? [],
      ...(options.jsx ? { jsx: "react-jsx" } : {}),
      strict: true,
      noEmit: true,
      skipLibCheck: false,
    },
    include: options.include,
  };
  const file = `tsconfig.${options.resolution}.json`;
  writeFileSync(join(project.dir, file), `${JSON.stringify(config, null, 2)}\n`);
  project.run("npx", ["--no-install", "tsc", "-p", file]);
}
