/** The demo's HTML report: an inline SVG timeline of IdP requests per endpoint, fault windows, steps, screenshots. */

interface TimelineRequest {
  time: number;
  endpoint: string;
  status: number;
  grantType?: string;
  fault?: string;
}

export interface FaultWindow {
  label: string;
  start: number;
  end: number;
  kind: "throttle" | "outage" | "revocation" | "restart";
}

export interface StepOutcome {
  title: string;
  ok: boolean;
  startedAt: number;
  endedAt: number;
  /** Plain sentences: what happened, what the IdP saw. */
  lines: string[];
}

export interface Screenshot {
  caption: string;
  pngBase64: string;
}

export interface DemoReport {
  title: string;
  startedAt: number;
  endedAt: number;
  environment: Record<string, string>;
  steps: StepOutcome[];
  requests: TimelineRequest[];
  faults: FaultWindow[];
  screenshots: Screenshot[];
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

const FAULT_COLOURS: Record<FaultWindow["kind"], string> = {
  throttle: "#fde2b3",
  outage: "#f8c4c4",
  revocation: "#d9d2f5",
  restart: "#cfe6f7",
};

/** A lane label for a request: the endpoint, split by grant type at the token endpoint. */
function laneOf(request: TimelineRequest): string {
  if (request.endpoint !== "token") return request.endpoint;
  if (request.fault) return "token (fault injected)";
  return request.grantType ? `token (${request.grantType})` : "token";
}

function statusColour(status: number): string {
  if (status === 429) return "#d97706";
  if (status >= 500) return "#dc2626";
  if (status >= 400) return "#7c3aed";
  return "#16a34a";
}

/** The timeline as a standalone SVG string (inline in the report, no scripts or external assets). */
function renderTimeline(report: Pick<DemoReport, "startedAt" | "endedAt" | "requests" | "faults" | "steps">): string {
  const lanes = [...new Set(report.requests.map(laneOf))].sort();
  if (lanes.length === 0) lanes.push("(no requests)");
  const left = 170;
  const width = 1100;
  const laneHeight = 30;
  const top = 44;
  const height = top + lanes.length * laneHeight + 40;
  const span = Math.max(1, report.endedAt - report.startedAt);
  const x = (t: number) => left + ((t - report.startedAt) / span) * (width - left - 20);
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="IdP requests over time" font-family="system-ui, sans-serif" font-size="12">`);
  report.faults.forEach((fault, i) => {
    const x1 = x(fault.start);
    const x2 = Math.max(x1 + 2, x(fault.end));
    parts.push(`<rect x="${x1.toFixed(1)}" y="${top - 32}" width="${(x2 - x1).toFixed(1)}" height="${height - top}" fill="${FAULT_COLOURS[fault.kind]}" opacity="0.7"><title>${escapeHtml(fault.label)}</title></rect>`);
    // Alternate label rows so neighbouring windows' labels do not overlap.
    parts.push(`<text x="${(x1 + 3).toFixed(1)}" y="${i % 2 === 0 ? top - 20 : top - 6}" fill="#333">${escapeHtml(fault.label)}</text>`);
  });
  lanes.forEach((lane, i) => {
    const y = top + i * laneHeight + laneHeight / 2;
    parts.push(`<line x1="${left}" x2="${width - 20}" y1="${y}" y2="${y}" stroke="#ddd"/>`);
    parts.push(`<text x="${left - 8}" y="${y + 4}" text-anchor="end">${escapeHtml(lane)}</text>`);
  });
  for (const request of report.requests) {
    const lane = lanes.indexOf(laneOf(request));
    const y = top + lane * laneHeight + laneHeight / 2;
    const label = `${laneOf(request)} → ${request.status}${request.fault ? ` (fault: ${request.fault})` : ""} at +${((request.time - report.startedAt) / 1000).toFixed(1)} s`;
    parts.push(`<circle cx="${x(request.time).toFixed(1)}" cy="${y}" r="4" fill="${statusColour(request.status)}"><title>${escapeHtml(label)}</title></circle>`);
  }
  const axisY = top + lanes.length * laneHeight + 14;
  const seconds = span / 1000;
  const stepSeconds = seconds > 240 ? 60 : seconds > 60 ? 15 : seconds > 20 ? 5 : 1;
  for (let s = 0; s <= seconds; s += stepSeconds) {
    const tx = x(report.startedAt + s * 1000);
    parts.push(`<line x1="${tx.toFixed(1)}" x2="${tx.toFixed(1)}" y1="${axisY - 6}" y2="${axisY - 2}" stroke="#666"/>`);
    parts.push(`<text x="${tx.toFixed(1)}" y="${axisY + 10}" text-anchor="middle" fill="#666">${s} s</text>`);
  }
  parts.push(`</svg>`);
  return parts.join("\n");
}

export function renderReport(report: DemoReport): string {
  const ok = report.steps.every((s) => s.ok);
  const legend = (Object.keys(FAULT_COLOURS) as FaultWindow["kind"][])
    .map((k) => `<span class="key" style="background:${FAULT_COLOURS[k]}"></span>${k}`)
    .join(" ");
  const steps = report.steps
    .map(
      (s, i) => `<li class="${s.ok ? "ok" : "fail"}" data-step="${i + 1}"><h3>${s.ok ? "✔" : "✘"} ${escapeHtml(s.title)} <small>(+${((s.startedAt - report.startedAt) / 1000).toFixed(1)} s, ${((s.endedAt - s.startedAt) / 1000).toFixed(1)} s)</small></h3><ul>${s.lines.map((l) => `<li>${escapeHtml(l)}</li>`).join("")}</ul></li>`,
    )
    .join("\n");
  const shots = report.screenshots
    .map((s) => `<figure><img alt="${escapeHtml(s.caption)}" src="data:image/png;base64,${s.pngBase64}"><figcaption>${escapeHtml(s.caption)}</figcaption></figure>`)
    .join("\n");
  const env = Object.entries(report.environment)
    .map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`)
    .join("");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(report.title)}</title>
<style>
body{font:15px/1.5 system-ui,sans-serif;margin:24px auto;max-width:1160px;color:#1d2330}
.verdict{padding:8px 14px;border-radius:6px;display:inline-block;font-weight:600}
.verdict.ok{background:#dcfce7}.verdict.fail{background:#fee2e2}
ol.steps>li{margin:10px 0;padding:6px 12px;border-left:4px solid #16a34a;background:#f8faf8}
ol.steps>li.fail{border-color:#dc2626;background:#fdf5f5}
h3{margin:4px 0;font-size:15px}small{color:#666;font-weight:normal}
figure{display:inline-block;margin:8px;vertical-align:top}figure img{max-width:540px;border:1px solid #ccc}
.key{display:inline-block;width:14px;height:10px;margin:0 4px 0 12px}
dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px}dt{color:#666}dd{margin:0}
.timeline{overflow-x:auto;border:1px solid #ddd;padding:8px}
</style></head><body>
<h1>${escapeHtml(report.title)}</h1>
<p class="verdict ${ok ? "ok" : "fail"}" data-testid="verdict">${ok ? "All steps passed" : "Some steps failed"} — ${report.steps.filter((s) => s.ok).length}/${report.steps.length} in ${((report.endedAt - report.startedAt) / 1000).toFixed(0)} s</p>
<h2>What the identity provider saw</h2>
<p>Every dot is one request the emulator logged (CORS preflights left out) (green 2xx/3xx, orange 429, red 5xx, purple other 4xx); shaded bands are the fault windows. ${legend}</p>
<div class="timeline">${renderTimeline(report)}</div>
<h2>Steps</h2>
<ol class="steps">${steps}</ol>
<h2>Screenshots</h2>
${shots || "<p>(none)</p>"}
<h2>Run</h2><dl>${env}</dl>
</body></html>
`;
}
