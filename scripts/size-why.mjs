// Where a library entry's bytes go: `npm run size:why [shell|extension-broker|graph]` (default shell,
// which measures /shell and /react together, as the budget in .size-limit.js does). Bundled and
// minified from the sources the way .size-limit.js bundles the published files (peers external),
// then listed by folder and by file with esbuild's own metafile analysis. The total is within a few
// percent of size-limit's figure (the published build splits shared chunks); the gzip share of a
// folder is estimated from its share of the minified bytes, since gzip cannot be split by file.
import { analyzeMetafile, build } from "esbuild";
import { gzipSync } from "node:zlib";
import { relative, resolve } from "node:path";
import { PACKAGES } from "./entry-points.mjs";

const root = resolve(import.meta.dirname, "..");
const entries = PACKAGES["resilient-token-broker"].entries;
const PEERS = ["@azure/msal-browser", "react", "react-dom", "@microsoft/microsoft-graph-client", "@microsoft/kiota-abstractions", "@microsoft/msgraph-sdk"];
const MEASURED = { shell: ["shell", "react"], "extension-broker": ["extension-broker"], graph: ["graph"] };

const target = process.argv[2] ?? "shell";
const names = MEASURED[target];
if (!names) {
  console.error(`Unknown entry “${target}”: use one of ${Object.keys(MEASURED).join(", ")}.`);
  process.exit(2);
}

const result = await build({
  stdin: { contents: names.map((name) => `export * from "./${entries[name].source}";`).join("\n"), resolveDir: root, loader: "ts" },
  bundle: true,
  minify: true,
  format: "esm",
  platform: "browser",
  external: PEERS,
  write: false,
  metafile: true,
  outfile: "size-why.js",
  logLevel: "warning",
});
const output = Object.values(result.metafile.outputs)[0];
const minified = output.bytes;
const gzipped = gzipSync(result.outputFiles[0].contents, { level: 9 }).length;

const byFolder = new Map();
for (const [file, { bytesInOutput }] of Object.entries(output.inputs)) {
  const path = relative(root, resolve(root, file));
  const folder = path.startsWith("node_modules/") ? path.split("/").slice(0, 2).join("/") : path.split("/").slice(0, -1).join("/") || ".";
  byFolder.set(folder, (byFolder.get(folder) ?? 0) + bytesInOutput);
}
// kB = 1,000 bytes, the unit size-limit prints.
const kb = (bytes) => `${(bytes / 1000).toFixed(2)} kB`;
console.log(`${names.map((name) => `/${name}`).join(" + ")}: ${kb(minified)} minified, ${kb(gzipped)} gzipped (peers external)\n`);
console.log("By folder (gzip share estimated from the minified share):");
for (const [folder, bytes] of [...byFolder].sort((a, b) => b[1] - a[1])) {
  const share = bytes / minified;
  console.log(`  ${kb(bytes).padStart(9)}  ~${kb(share * gzipped).padStart(8)} gz  ${(share * 100).toFixed(1).padStart(5)}%  ${folder}`);
}
console.log("\nBy file (esbuild's analysis, minified; its kb are 1,024 bytes):");
console.log(await analyzeMetafile(result.metafile));
