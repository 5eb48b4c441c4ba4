// Finds the Firefox the Firefox e2e leg, `npm start -- --browser firefox` and the bench drive:
// FIREFOX_PATH, else Debian's firefox-esr (what .ci/run installs). Never installs anything: a missing
// Firefox is an error whose sentence says how to install it (the Firefox leg is never skipped).
import { existsSync } from "node:fs";

/** Debian's package, the path .ci/run installs to. */
export const FIREFOX_DEFAULT_PATH = "/usr/bin/firefox-esr";

/** Why the Firefox leg fails without Firefox, and what to do about it. */
export const FIREFOX_MISSING =
  "Firefox is not installed, and the Firefox e2e tests need it: install it with `sudo apt-get update && sudo apt-get install -y firefox-esr` " +
  "(Debian/Ubuntu; .ci/run does this), or set FIREFOX_PATH to a Firefox ESR or Developer Edition binary (release Firefox refuses unsigned add-ons).";

/** The Firefox binary to drive; throws FIREFOX_MISSING when there is none. */
export function findFirefox() {
  const fromEnv = process.env.FIREFOX_PATH;
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`FIREFOX_PATH points to a missing file: ${fromEnv}. ${FIREFOX_MISSING}`);
    return fromEnv;
  }
  if (existsSync(FIREFOX_DEFAULT_PATH)) return FIREFOX_DEFAULT_PATH;
  throw new Error(FIREFOX_MISSING);
}
