import { rmSync } from "node:fs";
import { packDir } from "./consumer-project.js";

/**
 * Before every Playwright run, however it was started (`npm test`, or one spec by hand after a change):
 * forget the tarballs an earlier run packed. The consumer tests pack on first use, so they install the
 * current build. Otherwise a run on a checkout that had run the tests before installed the old tarball
 * and checked the previous code.
 */
export default function globalSetup(): void {
  rmSync(packDir, { recursive: true, force: true });
}
