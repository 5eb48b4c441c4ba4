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
