// What the loss-curve page draws of a long run: at most about two points per pixel. The x range is cut into equal
// buckets and each keeps its lowest and highest point (a spike, a dip and the noise band stay visible, unlike an
// average or a sample), in step order, plus its first gap (a NaN loss: the chart shows the break). The first and
// last points are always kept. Lists short enough are sent as they are.

/** Buckets of an overview (a chart is at most a couple of thousand pixels wide): up to ~4,000 points a list. */
export const OVERVIEW_BUCKETS = 2_000;

/** A point to decimate: `y` null for a gap. */
export interface XY {
  step: number;
}

/**
 * `points` (sorted by step) reduced to the min and max of each of `buckets` equal step ranges; `value` reads a
 * point's y (null or NaN: a gap). The same array when it has at most 2 × buckets points.
 */
export function minMaxDecimate<T extends XY>(points: readonly T[], value: (p: T) => number | null, buckets = OVERVIEW_BUCKETS): readonly T[] {
  const n = points.length;
  if (n <= 2 * buckets) return points;
  const first = points[0]!.step;
  const width = (points[n - 1]!.step - first) / buckets || 1;
  const out: T[] = [];
  let i = 0;
  while (i < n) {
    const bucket = Math.min(buckets - 1, Math.floor((points[i]!.step - first) / width));
    let lo = -1;
    let hi = -1;
    let gap = -1;
    const start = i;
    for (; i < n && Math.min(buckets - 1, Math.floor((points[i]!.step - first) / width)) === bucket; i++) {
      const y = value(points[i]!);
      if (y === null || Number.isNaN(y)) {
        if (gap < 0) gap = i;
        continue;
      }
      if (lo < 0 || y < value(points[lo]!)!) lo = i;
      if (hi < 0 || y > value(points[hi]!)!) hi = i;
    }
    const keep = [start, lo, hi, gap, i - 1].filter((k, j) => k >= 0 && (j === 0 ? start === 0 : j === 4 ? i === n : true));
    for (const k of [...new Set(keep)].sort((a, b) => a - b)) out.push(points[k]!);
  }
  return out;
}

/** The points of `points` (sorted by step) within [from, to], with one neighbour on each side (the line goes on). */
export function pointsInRange<T extends XY>(points: readonly T[], from: number, to: number): T[] {
  let lo = lowerBound(points, from);
  let hi = lowerBound(points, to);
  while (hi < points.length && points[hi]!.step <= to) hi++;
  if (lo > 0) lo--;
  if (hi < points.length) hi++;
  return points.slice(lo, hi);
}

/** The first index whose step is ≥ `step`. */
function lowerBound(points: readonly XY[], step: number): number {
  let lo = 0;
  let hi = points.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (points[mid]!.step < step) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
