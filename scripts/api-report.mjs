#!/usr/bin/env node
// The public API under review: one API Extractor report per entry point of scripts/entry-points.mjs,
// committed in api/<package>.<entry>.api.md and read from the built declarations (`npm run build` first).
// - `node scripts/api-report.mjs` (npm test, through scripts/check-packages.mjs): fails when an entry's
//   public API differs from its committed report (API Extractor's non-local mode), printing the diff.
// - `npm run api:update` (`--update`): rewrites the reports; review and commit them with the change.
import { spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { Extractor, ExtractorConfig, ExtractorLogLevel } from "@microsoft/api-extractor";
import { allEntries, PACKAGES } from "./entry-points.mjs";

const root = resolve(import.meta.dirname, "..");
const update = process.argv.includes("--update");
const reportFolder = join(root, "api");
const tempFolder = join(root, "test-results/api-report");
mkdirSync(tempFolder, { recursive: true });
mkdirSync(reportFolder, { recursive: true });

/** The declaration file tsc emits for an entry's source (scripts/build-lib.mjs). */
const declarationOf = (entry) => join(root, PACKAGES[entry.packageName].dir, "dist/types", entry.source.replace(/\.tsx?$/, ".d.ts"));

let failed = 0;
for (const entry of allEntries()) {
  const reportName = `${entry.packageName}.${entry.name}`;
  const config = ExtractorConfig.prepare({
    configObjectFullPath: undefined,
    packageJsonFullPath: join(root, PACKAGES[entry.packageName].dir, "package.json"),
    configObject: {
      projectFolder: root,
      mainEntryPointFilePath: declarationOf(entry),
      compiler: {
        // The declarations as a consumer's compiler reads them (nodenext), not the repository's tsconfig.
        overrideTsconfig: {
          compilerOptions: {
            module: "nodenext",
            moduleResolution: "nodenext",
            target: "es2022",
            lib: ["es2022", "dom", "dom.iterable"],
            types: entry.platform === "node" ? ["node"] : ["chrome"],
            strict: true,
            skipLibCheck: true,
          },
          files: [declarationOf(entry)],
        },
      },
      apiReport: { enabled: true, reportFileName: reportName, reportFolder, reportTempFolder: tempFolder },
      docModel: { enabled: false },
      dtsRollup: { enabled: false },
      tsdocMetadata: { enabled: false },
      messages: {
        // Release tags (@public/@beta) are not this project's convention: everything exported is public.
        extractorMessageReporting: {
          default: { logLevel: "warning" },
          "ae-missing-release-tag": { logLevel: "none" },
          "ae-undocumented": { logLevel: "none" },
          // A type the API uses but the entry does not export shows in the report (a reviewer sees it).
          "ae-forgotten-export": { logLevel: "none", addToApiReportFile: true },
        },
        // TSDoc syntax is not enforced on the comments (they are written for people, not a doc site).
        tsdocMessageReporting: { default: { logLevel: "none" } },
      },
    },
  });
  const result = Extractor.invoke(config, {
    localBuild: update,
    showVerboseMessages: false,
    messageCallback(message) {
      // "Analysis will use the bundled TypeScript…" is noise; "…copy the file … or perform a local build"
      // is said below in this project's words (`npm run api:update`), with the diff.
      if (message.messageId === "console-preamble" || message.messageId === "console-api-report-not-copied") message.logLevel = ExtractorLogLevel.None;
    },
  });
  const report = relative(root, join(reportFolder, `${reportName}.api.md`));
  // A changed report is a failure outside --update, whatever API Extractor's own verdict (the message
  // it would count as a warning is silenced above, to be said here).
  if (result.succeeded && (update || !result.apiReportChanged)) {
    console.info(`${update && result.apiReportChanged ? "updated" : "unchanged"}: ${report}`);
    continue;
  }
  failed++;
  if (result.apiReportChanged) {
    console.error(`\n${entry.specifier}: the public API differs from ${report}. If the change is meant, run \`npm run api:update\` and commit the report.`);
    spawnSync("git", ["diff", "--no-index", "--stat", "--patch", "--", report, relative(root, join(tempFolder, `${reportName}.api.md`))], { cwd: root, stdio: "inherit" });
  } else {
    console.error(`\n${entry.specifier}: API Extractor failed (${result.errorCount} errors, ${result.warningCount} warnings).`);
  }
}
process.exit(failed > 0 ? 1 : 0);
