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
  const bucketOf = (p: T) => Math.min(buckets - 1, Math.floor((p.step - first) / width));
  // One pass: a bucket's start, lowest, highest and first gap, flushed when the next bucket begins.
  let start = 0;
  let bucket = bucketOf(points[0]!);
  let lo = -1;
  let hi = -1;
  let loY = 0;
  let hiY = 0;
  let gap = -1;
  const flush = (end: number) => {
    const keep = [lo, hi, gap];
    if (start === 0) keep.push(0);
    if (end === n - 1) keep.push(end);
    keep.sort((a, b) => a - b);
    let prev = -1;
    for (const k of keep) if (k >= 0 && k !== prev) out.push(points[(prev = k)]!);
  };
  for (let i = 0; i < n; i++) {
    const p = points[i]!;
    const b = bucketOf(p);
    if (b !== bucket) {
      flush(i - 1);
      start = i;
      bucket = b;
      lo = hi = gap = -1;
    }
    const y = value(p);
    if (y === null || Number.isNaN(y)) {
      if (gap < 0) gap = i;
    } else {
      if (lo < 0 || y < loY) { lo = i; loY = y; }
      if (hi < 0 || y > hiY) { hi = i; hiY = y; }
    }
  }
  flush(n - 1);
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
