import type { ClientResult, PhaseResult } from "./bench-client-run.js";
import type { ScalingCell } from "./scaling-bench.js";
import { ms, ratio } from "./stats.js";

type Row = [string, ...string[]];

export function table(title: string, header: string[], rows: Row[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  return [`\n${title}`, line(header), widths.map((w) => "─".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

const idpTypes = (phase: PhaseResult) =>
  Object.entries(phase.idp)
    .sort()
    .map(([k, v]) => `${k}=${v}`)
    .join(" ") || "none";

const PHASES: Array<[keyof ClientResult["phases"], string]> = [
  ["coldStart", "Cold start (1 interactive sign-in, then 10 tabs ask at once)"],
  ["steady", "Steady state"],
  ["storm", "Retry-After storm"],
  ["outage", "5xx outage"],
  ["forcedLoop", "Forced-refresh loop (IdP healthy; Entra's loop detection on)"],
];

/** The side-by-side tables and the headline ratios, as printed by `npm run bench`. */
export function renderSideBySide(clients: ClientResult[]): string {
  const header = ["metric", ...clients.map((c) => c.kind)];
  const out: string[] = [clients.map((c) => `${c.kind.padEnd(9)} = ${c.label}`).join("\n")];
  for (const [key, title] of PHASES) {
    const rows: Row[] = [
      ["IdP requests (total)", ...clients.map((c) => String(c.phases[key].idpTotal))],
      ["interactive prompts", ...clients.map((c) => String(c.phases[key].prompts))],
      ["token requests served / asked", ...clients.map((c) => `${c.phases[key].served}/${c.phases[key].asked}`)],
      ["  of which fresh (forceRefresh)", ...clients.map((c) => `${c.phases[key].freshServed}/${c.phases[key].freshAsked}`)],
      ["  left without answer (cap)", ...clients.map((c) => String(c.phases[key].unanswered))],
      ["latency p50 ms", ...clients.map((c) => ms(c.phases[key].p50))],
      ["latency p99 ms", ...clients.map((c) => ms(c.phases[key].p99))],
      ["invalid_grant answers", ...clients.map((c) => String(c.phases[key].invalidGrants))],
      ["AADSTS50196 (request loop) answers", ...clients.map((c) => String(c.phases[key].loopAnswers))],
    ];
    if (key === "storm") rows.splice(1, 0, ["token requests inside Retry-After", ...clients.map((c) => String(c.phases[key].insideRetryAfter ?? 0))]);
    out.push(table(title, header, rows));
    out.push(clients.map((c) => `  ${c.kind}: ${idpTypes(c.phases[key])}`).join("\n"));
  }
  const ext = clients.find((c) => c.kind === "extension");
  if (ext) {
    const lines = ["\nRatios (other client ÷ extension broker):"];
    for (const other of clients.filter((c) => c !== ext)) {
      const total = (c: ClientResult) => Object.values(c.phases).reduce((a, p) => a + p.idpTotal, 0);
      lines.push(
        `  ${other.kind}: IdP requests overall ${ratio(total(other), total(ext))}; in the storm ${ratio(other.phases.storm.idpTotal, ext.phases.storm.idpTotal)}; ` +
          `inside Retry-After ${ratio(other.phases.storm.insideRetryAfter ?? 0, ext.phases.storm.insideRetryAfter ?? 0)}; ` +
          `outage: cached asks served ${other.phases.outage.served - other.phases.outage.freshServed}/${other.phases.outage.asked - other.phases.outage.freshAsked} vs ${ext.phases.outage.served - ext.phases.outage.freshServed}/${ext.phases.outage.asked - ext.phases.outage.freshAsked}, ` +
          `fresh asks served ${other.phases.outage.freshServed}/${other.phases.outage.freshAsked} vs ${ext.phases.outage.freshServed}/${ext.phases.outage.freshAsked} (left waiting: ${other.phases.outage.unanswered} vs ${ext.phases.outage.unanswered}); ` +
          `steady p99 ${ratio(other.phases.steady.p99, ext.phases.steady.p99)}`,
      );
    }
    out.push(lines.join("\n"));
  }
  return out.join("\n");
}

/** The scaling table: per client, IdP requests and sign-in windows at each tab count, and the growth. */
export function renderScaling(results: Record<string, ScalingCell[]>, options: { sessionMs: number; accessTokenSeconds: number }): string {
  const kinds = Object.keys(results);
  const tabCounts = results[kinds[0]!]?.map((c) => c.tabs) ?? [];
  const header = ["tabs", ...kinds.flatMap((k) => [`${k} IdP`, `${k} windows`, `${k} served`])];
  const rows: Row[] = tabCounts.map((tabs, i) => [
    String(tabs),
    ...kinds.flatMap((k) => {
      const cell = results[k]![i]!;
      return [String(cell.idpRequests), String(cell.signInWindows), `${cell.served}/${cell.asked}`];
    }),
  ]);
  // One tab runs one app (one resource); from five tabs on, all five apps (two resources) run, so the
  // growth that isolates "more tabs of the same apps" starts at five.
  const growth = kinds.map((k) => {
    const cells = results[k]!;
    const last = cells.at(-1);
    const allApps = cells.find((c) => c.tabs >= 5);
    return (
      `  ${k}: IdP requests ${cells[0]?.tabs}→${last?.tabs} tabs ${ratio(last?.idpRequests, cells[0]?.idpRequests)}` +
      (allApps && allApps !== last ? `, ${allApps.tabs}→${last?.tabs} tabs ${ratio(last?.idpRequests, allApps.idpRequests)}` : "") +
      `; sign-in windows ${cells[0]?.signInWindows}→${last?.signInWindows}; AADSTS50196 answers ${cells.reduce((a, c) => a + c.loopAnswers, 0)}`
    );
  });
  const title = `Scaling: a ${options.sessionMs / 1000} s working session, ${options.accessTokenSeconds} s access tokens, 5 apps on 3 origins`;
  return [table(title, header, rows), "Growth (most tabs ÷ one tab):", ...growth].join("\n");
}
