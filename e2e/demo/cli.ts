// `npm start` → scripts/start.mjs → here: runs the narrated demo and prints the report's path.
import { runDemo } from "./scenario.js";

const args = process.argv.slice(2);
const reportIndex = args.indexOf("--report");
const browserIndex = args.indexOf("--browser");
const engine = browserIndex >= 0 ? args[browserIndex + 1] : "chromium";
if (engine !== "chromium" && engine !== "firefox") {
  console.error(`--browser takes chromium or firefox, not ${engine ?? "nothing"}`);
  process.exit(2);
}
const result = await runDemo({
  headless: !args.includes("--headed"),
  engine,
  ...(reportIndex >= 0 && args[reportIndex + 1] ? { reportDir: args[reportIndex + 1] } : {}),
});
const passed = result.steps.filter((s) => s.ok).length;
console.log(`\n${result.ok ? "✔" : "✘"} ${passed}/${result.steps.length} steps passed.`);
console.log(`Report: ${result.reportPath}`);
process.exit(result.ok ? 0 : 1);
