// Finds a Chromium-family browser for `npm start` / `npm run bench` on a fresh machine:
// CHROMIUM_PATH, then system Chromium / Chrome / Edge, then a Playwright-managed browser. When none
// exists and we run as root on Debian/Ubuntu, installs Debian's `chromium`; otherwise prints the command.
import { existsSync, readFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { homedir } from "node:os";

/** Where Chromium, Chrome and Edge install themselves, most preferred first (also used by e2e/support/chromium.ts). */
export const CHROMIUM_CANDIDATES = [
  "/usr/bin/chromium",
  "/usr/bin/chromium-browser",
  "/usr/bin/google-chrome",
  "/usr/bin/google-chrome-stable",
  "/opt/google/chrome/chrome",
  "/usr/bin/microsoft-edge",
  "/usr/bin/microsoft-edge-stable",
  "/opt/microsoft/msedge/msedge",
  "/snap/bin/chromium",
  "/Applications/Chromium.app/Contents/MacOS/Chromium",
  "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
  "/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge",
  "C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe",
  "C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe",
];

/** The first installed system browser of CHROMIUM_CANDIDATES, or undefined. */
export function installedChromium() {
  return CHROMIUM_CANDIDATES.find((p) => existsSync(p));
}

async function playwrightChromium() {
  try {
    const { chromium } = await import("@playwright/test");
    const path = chromium.executablePath();
    return path && existsSync(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

function isDebianLike() {
  try {
    return /^(ID|ID_LIKE)=.*(debian|ubuntu)/m.test(readFileSync("/etc/os-release", "utf8"));
  } catch {
    return false;
  }
}

export async function findChromium({ install = true, log = console.log } = {}) {
  if (process.env.CHROMIUM_PATH) {
    if (existsSync(process.env.CHROMIUM_PATH)) return process.env.CHROMIUM_PATH;
    log(`CHROMIUM_PATH=${process.env.CHROMIUM_PATH} does not exist; looking elsewhere`);
  }
  const found = installedChromium() ?? (await playwrightChromium());
  if (found) return found;
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  if (install && isRoot && isDebianLike()) {
    log("No Chromium found: installing Debian's chromium (apt-get update && apt-get install -y chromium)…");
    const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
    const update = spawnSync("apt-get", ["update"], { stdio: "inherit", env });
    const add = update.status === 0 ? spawnSync("apt-get", ["install", "-y", "chromium"], { stdio: "inherit", env }) : update;
    if (add.status === 0 && existsSync("/usr/bin/chromium")) return "/usr/bin/chromium";
  }
  const command = isDebianLike()
    ? "sudo apt-get update && sudo apt-get install -y chromium"
    : `npx playwright install chromium   (or set CHROMIUM_PATH to Chrome/Edge, e.g. ${homedir()}/…/chrome)`;
  throw new Error(`No Chromium, Chrome or Edge found. Install one, then run again:\n    ${command}`);
}
