// A training log as the loss-curve panel shows it (curves with NaN as null, the diagnosis in words) and as CSV.
// Pure: runs in the dataset worker thread, never on the extension host's main thread.
import type { LossRun } from '../../shared/protocol/lossCurve';
import type { Locale } from '../dataset/types';
import { importCurves } from './importers';
import { diagnose, diagnosisLines } from './diagnose';
import type { RunCurves } from './types';

const finiteOrNull = (x: number): number | null => (Number.isFinite(x) ? x : null);

/** Reads a log's text (named `filePath` for format detection) into what the panel shows. Throws CurveImportError. */
export function lossRun(filePath: string, displayName: string, text: string, locale: Locale): LossRun {
  const { curves, skipped } = importCurves(filePath, text);
  return toRun(displayName, curves, skipped.length, locale);
}

/** The log's curves as CSV (see curvesCsv). */
export function lossCsv(filePath: string, text: string): string {
  return curvesCsv(importCurves(filePath, text).curves);
}

function toRun(fileName: string, curves: RunCurves, skippedLines: number, locale: Locale): LossRun {
  const d = diagnose(curves, { locale });
  const points = (ps: RunCurves['train']) => ps.map((p) => ({ step: p.step, ...(p.epoch !== undefined ? { epoch: p.epoch } : {}), loss: finiteOrNull(p.loss) }));
  return {
    fileName,
    source: curves.source,
    train: points(curves.train),
    eval: points(curves.eval),
    learningRate: curves.learningRate.filter((p) => Number.isFinite(p.value)),
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

