/** Mean and sample standard deviation (n − 1; null for one value, as there is no spread to estimate). */
export function meanStd(values: readonly number[]): { mean: number | null; std: number | null } {
  const n = values.length;
  if (n === 0) return { mean: null, std: null };
  const mean = values.reduce((a, b) => a + b, 0) / n;
  if (n === 1) return { mean, std: null };
  const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1);
  return { mean, std: Math.sqrt(variance) };
}
