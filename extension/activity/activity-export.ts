/**
 * The activity record as an administrator downloads it from the options page: JSON (the entries as
 * the broker keeps them, with the export time and bound) and CSV (RFC 4180: CRLF rows, fields with a
 * comma, quote or line break quoted, quotes doubled). A CSV cell that a spreadsheet would read as a
 * formula (=, +, -, @, tab, CR first) is prefixed with ' — an origin or username is data, never code.
 */
import type { ActivityEntry } from "../protocol/views.js";

const CSV_COLUMNS = ["time", "caller", "origin", "frameOrigin", "clientId", "scopes", "username", "homeAccountId", "source", "correlationId"] as const;

export function activityJson(entries: readonly ActivityEntry[], exportedAt: number, bound: { maxDays: number; maxEntries: number }): string {
  return `${JSON.stringify({ exportedAt: new Date(exportedAt).toISOString(), bound, entries }, null, 2)}\n`;
}

export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export function activityCsv(entries: readonly ActivityEntry[]): string {
  const rows = entries.map((e) =>
    [new Date(e.at).toISOString(), e.caller, e.origin, e.frameOrigin, e.clientId, e.scopes.join(" "), e.username, e.homeAccountId, e.source, e.correlationId].map(csvCell).join(","),
  );
  return `${[CSV_COLUMNS.join(","), ...rows].join("\r\n")}\r\n`;
}
