import { describe, expect, it } from "vitest";
import { runCacheLookupBench } from "./cache-lookup-bench.js";

describe("runCacheLookupBench", () => {
  it("measures lookups that all hit, and a chain-vs-map ratio (numbers reported, not asserted)", async () => {
    let t = 0;
    const result = await runCacheLookupBench(() => (t += 0.001), { sizes: [50, 200], samples: 100, chainIterations: 20 });
    expect(result.lookups.map((l) => [l.entries, l.samples, l.hits])).toEqual([
      [50, 100, 100],
      [200, 100, 100],
    ]);
    for (const l of result.lookups) expect(l.p99Ms).toBeGreaterThanOrEqual(l.p50Ms);
    expect(result.chainOnHit.iterations).toBe(20);
    expect(Number.isFinite(result.chainOnHit.ratio)).toBe(true);
  });
});
