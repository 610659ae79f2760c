// A training log as the loss-curve panel shows it (curves with NaN as null, the diagnosis in words) and as CSV.
// Pure: runs in the dataset worker thread, never on the extension host's main thread.
import type { CurvePoint, LossRun, RunDetail } from '../../shared/protocol/lossCurve';
import type { Locale } from '../dataset/types';
import { diagnose, diagnosisLines } from './diagnose';
import type { LossPoint, RunCurves } from './types';
import { minMaxDecimate, pointsInRange } from './decimate';

const finiteOrNull = (x: number): number | null => (Number.isFinite(x) ? x : null);

const points = (ps: readonly LossPoint[]): CurvePoint[] => ps.map((p) => ({ step: p.step, ...(p.epoch !== undefined ? { epoch: p.epoch } : {}), loss: finiteOrNull(p.loss) }));
const lossValue = (p: LossPoint) => finiteOrNull(p.loss);
const rateValue = (p: { value: number }) => p.value;
const finiteRates = (curves: RunCurves) => curves.learningRate.filter((p) => Number.isFinite(p.value));

/**
 * A run as the panel shows it. The train loss, learning rate and superseded attempts are decimated to what a chart
 * draws (decimate.ts); `fullPoints` then says how many there are (the page asks for a zoomed range's: runDetail).
 */
export function toRun(fileName: string, curves: RunCurves, skippedLines: number, locale: Locale): LossRun {
  const d = diagnose(curves, { locale });
  const rates = finiteRates(curves);
  const train = minMaxDecimate(curves.train, lossValue);
  const learningRate = minMaxDecimate(rates, rateValue);
  const decimated = train !== curves.train || learningRate !== rates;
  return {
    fileName,
    source: curves.source,
    train: points(train),
    eval: points(curves.eval),
    learningRate: learningRate.slice(),
    ...(decimated ? { fullPoints: { train: curves.train.length, learningRate: rates.length } } : {}),
    ...(curves.attempts ? { attempts: curves.attempts } : {}),
    ...(curves.superseded ? { superseded: curves.superseded.map((list) => points(minMaxDecimate(list, lossValue))) } : {}),
    checkpoints: curves.checkpoints.map((c) => ({ step: c.step, ...(c.path !== undefined ? { path: c.path } : {}) })),
    ...(curves.totalSteps !== undefined ? { totalSteps: curves.totalSteps } : {}),
    verdict: d.verdict,
    reason: d.reason,
    advice: d.advice,
    ...(d.bestStep !== undefined ? { bestStep: d.bestStep } : {}),
    evidence: diagnosisLines(d, locale),
    skippedLines,
  };
}

/**
 * The points of a run between two x values (steps, or epochs: `byEpoch`), at full resolution up to what a chart
 * draws (decimated past that), with one neighbour each side: what the page draws of a zoomed range.
 */
export function runDetail(curves: RunCurves, min: number, max: number, byEpoch: boolean): RunDetail {
  const [from, to] = byEpoch ? stepsOfEpochs(curves.train, min, max) : [min, max];
  const rates = finiteRates(curves);
  return {
    from,
    to,
    train: points(minMaxDecimate(pointsInRange(curves.train, from, to), lossValue)),
    learningRate: minMaxDecimate(pointsInRange(rates, from, to), rateValue).slice(),
    ...(curves.superseded ? { superseded: curves.superseded.map((list) => points(minMaxDecimate(pointsInRange(list, from, to), lossValue))) } : {}),
  };
}

/** The step range of an epoch range: the last logged step before `min` to the first after `max` (whole run if none). */
function stepsOfEpochs(train: readonly LossPoint[], min: number, max: number): [number, number] {
  let from = train[0]?.step ?? 0;
  let to = train[train.length - 1]?.step ?? 0;
  for (const p of train) {
    if (p.epoch === undefined) continue;
    if (p.epoch <= min) from = p.step;
    if (p.epoch >= max) { to = p.step; break; }
  }
  return [from, to];
}

/** One row per logged step: step, epoch, train loss, eval loss, learning rate, checkpoint. */
export function curvesCsv(curves: RunCurves): string {
  interface Row { epoch?: number; train?: number; eval?: number; lr?: number; checkpoint?: string }
  const rows = new Map<number, Row>();
  const row = (step: number) => { let r = rows.get(step); if (!r) rows.set(step, (r = {})); return r; };
  for (const p of curves.train) { const r = row(p.step); r.train = p.loss; if (p.epoch !== undefined) r.epoch = p.epoch; }
  for (const p of curves.eval) { const r = row(p.step); r.eval = p.loss; if (p.epoch !== undefined) r.epoch ??= p.epoch; }
  for (const p of curves.learningRate) row(p.step).lr = p.value;
  for (const c of curves.checkpoints) row(c.step).checkpoint = c.path ?? `checkpoint-${c.step}`;
  const cell = (v: number | string | undefined) => {
    if (v === undefined) return '';
    const s = String(v);
    return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const lines = ['step,epoch,train_loss,eval_loss,learning_rate,checkpoint'];
  for (const step of [...rows.keys()].sort((a, b) => a - b)) {
    const r = rows.get(step)!;
    lines.push([step, r.epoch, r.train, r.eval, r.lr, r.checkpoint].map(cell).join(','));
  }
  return lines.join('\n') + '\n';
}

