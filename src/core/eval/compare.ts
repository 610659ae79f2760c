// Comparison of the models of eval runs: each model's mean scores and their deltas against the run's base model.
import { METRICS, type EvalModel, type EvalRunMeta, type Metric, type ModelScores, type ScoresFile } from './schema';

export type MetricValues = Record<Metric, number>;

export interface ModelSummary {
  runId: string;
  modelId: string;
  name: string;
  kind: EvalModel['kind'];
  isBase: boolean;
  samples: number;
  mean: MetricValues;
  /** mean − the base model's mean, per metric; undefined for the base itself or when the run has no base. */
  delta?: MetricValues;
}

export function metricValues(scores: Pick<ModelScores['mean'], Metric>): MetricValues {
  return Object.fromEntries(METRICS.map((m) => [m, scores[m]])) as MetricValues;
}

/** Rounded like the scores themselves (4 decimals), so 0.1 + 0.2 − 0.3 shows as 0, not 5.5e-17. */
const round4 = (x: number) => Math.round(x * 1e4) / 1e4 + 0; // + 0 turns -0 into 0

export function deltaOf(mean: MetricValues, base: MetricValues): MetricValues {
  return Object.fromEntries(METRICS.map((m) => [m, round4(mean[m] - base[m])])) as MetricValues;
}

/** The base model of a run: the one marked so, else one of kind 'base'. */
export function baseModelOf(meta: EvalRunMeta): EvalModel | undefined {
  return meta.models.find((m) => m.isBase) ?? meta.models.find((m) => m.kind === 'base');
}

/** One line per scored model of the run, in the run's model order, with deltas against its base. */
export function summariseRun(meta: EvalRunMeta, scores: ScoresFile | undefined): ModelSummary[] {
  const base = baseModelOf(meta);
  const baseScores = base && scores?.models[base.id];
  const baseMean = baseScores && metricValues(baseScores.mean);
  const out: ModelSummary[] = [];
  for (const model of meta.models) {
    const s = scores?.models[model.id];
    if (!s) continue;
    const mean = metricValues(s.mean);
    const isBase = model.id === base?.id;
    out.push({
      runId: meta.id, modelId: model.id, name: model.name, kind: model.kind, isBase, samples: s.samples.length, mean,
      ...(baseMean && !isBase ? { delta: deltaOf(mean, baseMean) } : {}),
    });
  }
  return out;
}

/**
 * Per sample, how much the model scores below the base on `metric` (positive: worse than the base).
 * Samples either model lacks are undefined.
 */
export function dropsAgainstBase(model: readonly (number | undefined)[], base: readonly (number | undefined)[]): (number | undefined)[] {
  const n = Math.max(model.length, base.length);
  const out: (number | undefined)[] = [];
  for (let i = 0; i < n; i++) {
    const a = model[i];
    const b = base[i];
    out.push(a === undefined || b === undefined ? undefined : round4(b - a));
  }
  return out;
}
