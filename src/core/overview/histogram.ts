/**
 * Equal-width bins over [0, max]: at most `bins` of them, with widths rounded to a readable step
 * (1, 2 or 5 × 10^k) so the edges are round numbers. Bin i counts values in [edges[i], edges[i+1]).
 */
export function histogram(values: readonly number[], bins = 30): { edges: number[]; counts: number[] } {
  const max = values.reduce((m, v) => Math.max(m, v), 0);
  const width = niceStep(Math.max(1, max / bins));
  const n = Math.max(1, Math.floor(max / width) + 1);
  const counts = new Array<number>(n).fill(0);
  for (const v of values) counts[Math.min(n - 1, Math.floor(v / width))]!++;
  const edges = Array.from({ length: n + 1 }, (_, i) => i * width);
  return { edges, counts };
}

function niceStep(raw: number): number {
  const power = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) if (m * power >= raw) return m * power;
  return 10 * power;
}
