/** The p-th percentile (nearest rank) of `values`; undefined for an empty list. */
export function percentile(values: number[], p: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

/** "12.3" style milliseconds, "—" when unknown. */
export function ms(value: number | undefined): string {
  if (value === undefined) return "—";
  return value >= 100 ? value.toFixed(0) : value.toFixed(1);
}

/** a / b as "3.2×", with the zero cases spelled out. */
export function ratio(a: number | undefined, b: number | undefined): string {
  if (a === undefined || b === undefined) return "—";
  if (b === 0) return a === 0 ? "equal (0 = 0)" : `∞ (${a} vs 0)`;
  return `${(a / b).toFixed(1)}×`;
}

export interface SampleSummary {
  p50?: number;
  p99?: number;
  mean?: number;
}

/** p50, p99 and mean of two sample sets side by side, and a / b of each (rounded to 0.01). */
export function sideBySide(a: number[], b: number[]): { a: SampleSummary; b: SampleSummary; ratio: SampleSummary } {
  const round = (n: number | undefined) => (n === undefined ? undefined : Math.round(n * 100) / 100);
  const summary = (values: number[]) => ({
    p50: percentile(values, 50),
    p99: percentile(values, 99),
    mean: values.length === 0 ? undefined : values.reduce((sum, v) => sum + v, 0) / values.length,
  });
  const [sa, sb] = [summary(a), summary(b)];
  const ratio = (key: keyof SampleSummary) => (sa[key] !== undefined && sb[key] ? round(sa[key] / sb[key]) : undefined);
  const rounded = (s: SampleSummary) => ({ p50: round(s.p50), p99: round(s.p99), mean: round(s.mean) });
  return { a: rounded(sa), b: rounded(sb), ratio: { p50: ratio("p50"), p99: ratio("p99"), mean: ratio("mean") } };
}
