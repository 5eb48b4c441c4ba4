import { describe, expect, it } from "vitest";
import { probeAuthorize, type ProbeDeps } from "./authorize-probe.js";

const URL_ = "https://login.test/tenant/oauth2/v2.0/authorize?prompt=none";
const NOW = Date.parse("2026-12-07T12:00:00Z");

function deps(answer: { status: number; headers?: Record<string, string> } | Error, canRead = true) {
  const inits: Array<Parameters<ProbeDeps["fetch"]>[1]> = [];
  const d: ProbeDeps = {
    async fetch(_url, init) {
      inits.push(init);
      if (answer instanceof Error) throw answer;
      const headers = new Map(Object.entries(answer.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
      return { status: answer.status, headers: { get: (name: string) => headers.get(name.toLowerCase()) ?? null } };
    },
    canRead: async () => canRead,
    now: () => NOW,
  };
  return { d, inits };
}

describe("probeAuthorize", () => {
  it("asks once, without cookies and without following the redirect", async () => {
    const { d, inits } = deps({ status: 0 });
    expect(await probeAuthorize(URL_, d)).toEqual({ kind: "answers" });
    expect(inits).toHaveLength(1);
    expect(inits[0]).toMatchObject({ credentials: "omit", redirect: "manual", cache: "no-store" });
  });

  it("reads a 429's Retry-After (seconds or a date), and the default wait when it gives none", async () => {
    expect(await probeAuthorize(URL_, deps({ status: 429, headers: { "Retry-After": "20" } }).d)).toEqual({ kind: "throttled", retryAfterMs: 20_000 });
    const date = new Date(NOW + 30_000).toUTCString();
    expect(await probeAuthorize(URL_, deps({ status: 429, headers: { "Retry-After": date } }).d)).toEqual({ kind: "throttled", retryAfterMs: 30_000 });
    expect(await probeAuthorize(URL_, deps({ status: 429 }).d)).toEqual({ kind: "throttled", retryAfterMs: 5_000 });
  });

  it("calls a 5xx or no answer unavailable, and a page or a 4xx an answer", async () => {
    expect(await probeAuthorize(URL_, deps({ status: 503 }).d)).toEqual({ kind: "unavailable", status: 503 });
    expect(await probeAuthorize(URL_, deps(new TypeError("NetworkError when attempting to fetch resource.")).d)).toEqual({ kind: "unavailable" });
    expect(await probeAuthorize(URL_, deps({ status: 200 }).d)).toEqual({ kind: "answers" });
    expect(await probeAuthorize(URL_, deps({ status: 400 }).d)).toEqual({ kind: "answers" });
  });

  it("sends nothing without host access to the IdP (it could not read the answer)", async () => {
    const { d, inits } = deps({ status: 429 }, false);
    expect(await probeAuthorize(URL_, d)).toEqual({ kind: "not_probed" });
    expect(inits).toEqual([]);
  });
});
