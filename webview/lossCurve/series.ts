// A run's curves as chart points: x by step or by epoch, the train loss raw and EMA-smoothed, eval loss, learning
// rate and checkpoints (placed on the smoothed train curve). Pure: no DOM, no Chart.js.
import type { CurvePoint, LossRun, RunDetail } from '../../src/shared/protocol/lossCurve';

export type Pt = { x: number; y: number | null };
/**
 * `superseded`: a resumed run's earlier attempts where a later one replaced them (a gap between attempts);
 * `attemptStarts`: where each later attempt starts, on the smoothed curve (`attempts` says their number, 2, 3…, and step).
 */
export interface Series { raw: Pt[]; smoothed: Pt[]; evals: Pt[]; lr: Pt[]; checkpoints: Pt[]; superseded: Pt[]; attemptStarts: Pt[]; attempts: { number: number; step: number }[] }

/** TensorBoard-style EMA: s = w·s + (1 − w)·v, debiased; gaps (null) stay gaps and do not reset it. */
export function smooth(values: readonly (number | null)[], weight: number): (number | null)[] {
  let s = 0;
  let n = 0;
  return values.map((v) => {
    if (v === null) return null;
    s = weight * s + (1 - weight) * v;
    n++;
    return weight > 0 ? s / (1 - weight ** n) : v;
  });
}

/** Index of the last element of sorted `keys` that is ≤ `x` (−1 when none). */
function floorIndex(keys: readonly number[], x: number): number {
  let lo = -1;
  let hi = keys.length;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (keys[mid]! <= x) lo = mid;
    else hi = mid;
  }
  return lo;
}

/** step → epoch, interpolated between the logged points; undefined when the log has no epochs. */
function epochMapper(run: LossRun): ((step: number) => number) | undefined {
  const known = [...run.train, ...run.eval].filter((p) => p.epoch !== undefined).map((p) => [p.step, p.epoch!] as const).sort((a, b) => a[0] - b[0]);
  if (known.length === 0) return undefined;
  const steps = known.map((k) => k[0]);
  return (step) => {
    const [s0, e0] = known[0]!;
    if (step <= s0) return s0 === step ? e0 : (e0 * step) / (s0 || 1);
    const i = floorIndex(steps, step);
    if (i >= known.length - 1) return known[known.length - 1]![1];
    const [a, ea] = known[i]!;
    const [b, eb] = known[i + 1]!;
    return b === a ? ea : ea + ((eb - ea) * (step - a)) / (b - a);
  };
}

export function hasEpochs(run: LossRun): boolean {
  return run.train.some((p) => p.epoch !== undefined);
}

/** A run's series and what extending it needs: the EMA's state and how many points of each list it covers. */
interface Built { series: Series; smoothing: number; byEpoch: boolean; ema: number; count: number; train: number; eval: number; lr: number }
const built = new WeakMap<LossRun, Built>();

/**
 * The run's points by step, or by epoch (empty when it logged no epochs: it cannot be placed on that axis).
 * A live run only grows (appendTail pushes onto the same run object): by step, the points already computed stay
 * as they are and only the new ones are computed. By epoch, new points may change the interpolated epochs of
 * earlier steps, so everything is computed again.
 */
export function series(run: LossRun, smoothing: number, byEpoch: boolean): Series {
  const toEpoch = byEpoch ? epochMapper(run) : undefined;
  if (byEpoch && !toEpoch) return { raw: [], smoothed: [], evals: [], lr: [], checkpoints: [], superseded: [], attemptStarts: [], attempts: [] };
  const x = toEpoch ? (p: { step: number; epoch?: number }) => p.epoch ?? toEpoch(p.step) : (p: { step: number }) => p.step;
  const before = built.get(run);
  const prev = before && !byEpoch && !before.byEpoch && before.smoothing === smoothing && run.train.length >= before.train
    && run.eval.length >= before.eval && run.learningRate.length >= before.lr ? before : undefined;
  // Plain loops: this runs on every live update of runs that may have 200,000 points.
  const raw = prev ? prev.series.raw.slice() : [];
  const smoothed = prev ? prev.series.smoothed.slice() : [];
  const w = smoothing;
  let ema = prev?.ema ?? 0;
  let count = prev?.count ?? 0;
  for (let i = prev?.train ?? 0; i < run.train.length; i++) {
    const p = run.train[i]!;
    const px = x(p);
    raw.push({ x: px, y: p.loss });
    if (p.loss === null) {
      smoothed.push({ x: px, y: null });
      continue;
    }
    // The EMA of smooth(), inline.
    ema = w * ema + (1 - w) * p.loss;
    count++;
    smoothed.push({ x: px, y: w > 0 ? ema / (1 - w ** count) : p.loss });
  }
  const evals = prev ? prev.series.evals.slice() : [];
  for (let i = prev?.eval ?? 0; i < run.eval.length; i++) evals.push({ x: x(run.eval[i]!), y: run.eval[i]!.loss });
  const lr = prev ? prev.series.lr.slice() : [];
  for (let i = prev?.lr ?? 0; i < run.learningRate.length; i++) lr.push({ x: x(run.learningRate[i]!), y: run.learningRate[i]!.value });
  // A checkpoint (an attempt's start) sits on the smoothed train curve at the logged step nearest to it.
  const steps = run.checkpoints.length || run.attempts ? run.train.map((p) => p.step) : [];
  const onCurve = (step: number): Pt => {
    const i = floorIndex(steps, step);
    const j = i < 0 || (i + 1 < steps.length && steps[i + 1]! - step < step - steps[i]!) ? i + 1 : i;
    return { x: x({ step }), y: smoothed[j]?.y ?? null };
  };
  const checkpoints = run.checkpoints.map((c) => onCurve(c.step));
  const superseded: Pt[] = [];
  for (const list of run.superseded ?? []) {
    if (superseded.length) superseded.push({ x: x(list[0] ?? { step: 0 }), y: null }); // no line from one attempt to the next
    for (const p of list) superseded.push({ x: x(p), y: p.loss });
  }
  const later = (run.attempts ?? []).slice(1);
  const result = {
    raw, smoothed, evals, lr, checkpoints, superseded,
    attemptStarts: later.map((a) => onCurve(a.start)),
    attempts: later.map((a, i) => ({ number: i + 2, step: a.start })),
  };
  built.set(run, { series: result, smoothing, byEpoch, ema, count, train: run.train.length, eval: run.eval.length, lr: run.learningRate.length });
  return result;
}

/**
 * A decimated run with a zoomed range's full-resolution points in place of its overview's there (the overview
 * outside it, so the line and its smoothing go on). The run itself when there is no detail.
 */
export function withDetail(run: LossRun, detail: RunDetail | undefined): LossRun {
  if (!detail || detail.train.length === 0) return run;
  const splice = <T extends { step: number }>(overview: readonly T[], inside: readonly T[]): T[] => {
    if (inside.length === 0) return overview.slice();
    const from = inside[0]!.step;
    const to = inside[inside.length - 1]!.step;
    return [...overview.filter((p) => p.step < from), ...inside, ...overview.filter((p) => p.step > to)];
  };
  const superseded = run.superseded?.map((list, i): CurvePoint[] => splice(list, detail.superseded?.[i] ?? []));
  return {
    ...run,
    train: splice(run.train, detail.train),
    learningRate: splice(run.learningRate, detail.learningRate),
    ...(superseded ? { superseded } : {}),
  };
}

/** The smallest and largest x of some series (undefined when they have no points). */
export function xExtent(all: readonly Series[]): { min: number; max: number } | undefined {
  let min = Infinity;
  let max = -Infinity;
  for (const s of all) {
    for (const list of [s.raw, s.evals, s.lr]) {
      if (list.length === 0) continue;
      min = Math.min(min, list[0]!.x);
      max = Math.max(max, list[list.length - 1]!.x);
    }
  }
  return min <= max ? { min, max } : undefined;
}

export interface AxisRange { min: number; max: number }

/**
 * Bounds for an axis whose points all sit at one value (a log with one step): Chart.js would draw ±5% around it
 * (a 0.95–1.05 step axis, a learning-rate axis below zero for a rate of 0). Undefined when the points span a range
 * (Chart.js fits those itself). `nonNegative`: steps, epochs and learning rates never go below 0; `minPad`: the
 * least room on each side (1 for x, so step 1 shows as 0–2 with whole ticks).
 */
export function singleValueRange(values: Iterable<number | null>, nonNegative: boolean, minPad = 0): AxisRange | undefined {
  let only: number | undefined;
  for (const v of values) {
    if (v === null || !Number.isFinite(v)) continue;
    if (only === undefined) only = v;
    else if (v !== only) return undefined; // a second value: stops at once, even on a 200,000-point run
  }
  if (only === undefined) return undefined;
  const pad = Math.max(minPad, only === 0 ? 1 : Math.abs(only) * 0.5);
  return { min: nonNegative ? Math.max(0, only - pad) : only - pad, max: only + pad };
}

/** The x or y values of some point lists, one after another (lazily: singleValueRange usually stops after two). */
export function* pointValues(lists: readonly (readonly Pt[])[], key: 'x' | 'y'): Generator<number | null> {
  for (const list of lists) for (const p of list) yield p[key];
}

/** Whether a line has at most one point to draw (a line with no neighbour draws nothing: show its point). */
export function lonePoint(points: readonly Pt[]): boolean {
  let n = 0;
  for (const p of points) if (p.y !== null && ++n > 1) return false;
  return n === 1;
}
