import { describe, expect, it } from "vitest";
import type { ActivityEntry } from "../protocol/views.js";
import { activityCsv, activityJson, csvCell } from "./activity-export.js";

const entry: ActivityEntry = {
  at: Date.UTC(2026, 11, 7, 12, 0, 0),
  caller: "page",
  origin: "https://app.contoso.test",
  frameOrigin: "https://app.contoso.test",
  clientId: "client-1",
  scopes: ["User.Read", "Mail.Read"],
  homeAccountId: "uid.tid",
  username: 'adele "the admin", jr\nline2',
  source: "refresh_token",
  correlationId: "corr-1",
};

describe("activity export", () => {
  it("quotes CSV fields with commas, quotes and line breaks, doubling the quotes", () => {
    expect(csvCell("plain")).toBe("plain");
    expect(csvCell("a,b")).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell("two\r\nlines")).toBe('"two\r\nlines"');
  });

  it("keeps a spreadsheet from reading a cell as a formula", () => {
    expect(csvCell("=HYPERLINK(\"x\")")).toBe("\"'=HYPERLINK(\"\"x\"\")\"");
    expect(csvCell("+1")).toBe("'+1");
    expect(csvCell("@sum")).toBe("'@sum");
    expect(csvCell("-2")).toBe("'-2");
  });

  it("writes a header and one CRLF row per entry", () => {
    const csv = activityCsv([entry]);
    const [header, row, end] = csv.split("\r\n");
    expect(header).toBe("time,caller,origin,frameOrigin,clientId,scopes,username,homeAccountId,source,correlationId");
    expect(row).toBe('2026-12-07T12:00:00.000Z,page,https://app.contoso.test,https://app.contoso.test,client-1,User.Read Mail.Read,"adele ""the admin"", jr\nline2",uid.tid,refresh_token,corr-1');
    expect(end).toBe("");
  });

  it("exports JSON with the export time, the bound and the entries as kept", () => {
    const parsed = JSON.parse(activityJson([entry], Date.UTC(2026, 11, 8), { maxDays: 30, maxEntries: 10_000 })) as Record<string, unknown>;
    expect(parsed).toEqual({ exportedAt: "2026-12-08T00:00:00.000Z", bound: { maxDays: 30, maxEntries: 10_000 }, entries: [entry] });
  });
});
