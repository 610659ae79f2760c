// The eval-detail view's data: every sample with its prompt, reference and each model's answer and scores.
import type { DetailRow, EvalDetail, Scores4 } from '../../shared/protocol/evalDetail';
import type { StoredPrediction } from './predictions';
import type { EvalRunMeta, ModelScores, ScoresFile } from './schema';
import { baseModelOf } from './compare';
import { sharedPromptPrefix, withoutShared } from './sharedPrompt';

const scores4 = (s: ModelScores['mean']): Scores4 => [s['bleu-4'], s['rouge-1'], s['rouge-2'], s['rouge-l']];

/**
 * Lines the models' answers up by sample index. A beginning every prompt shares (a system prompt) is taken out of
 * the rows into `sharedPrompt`. `predictions` are each model's stored rows in file order;
 * scores.json's samples follow that order.
 */
export function buildDetail(meta: EvalRunMeta, predictions: ReadonlyMap<string, readonly StoredPrediction[]>, scores: ScoresFile | undefined, title: string): EvalDetail {
  const base = baseModelOf(meta);
  const rows = new Map<number, DetailRow>();
  meta.models.forEach((model, m) => {
    const own = predictions.get(model.id) ?? [];
    const samples = scores?.models[model.id]?.samples;
    own.forEach((p, k) => {
      let row = rows.get(p.index);
      if (!row) {
        const line = meta.sampleLines?.[p.index];
        row = { index: p.index, ...(line === undefined ? {} : { line }), prompt: p.prompt, label: p.label, answers: meta.models.map(() => null) };
        rows.set(p.index, row);
      }
      const s = samples?.[k];
      row.answers[m] = { text: p.predict, scores: s ? scores4(s) : null };
    });
  });
  const sorted = [...rows.values()].sort((a, b) => a.index - b.index);
  const sharedPrompt = sharedPromptPrefix(sorted.map((r) => r.prompt));
  if (sharedPrompt) for (const row of sorted) row.prompt = withoutShared(row.prompt, sharedPrompt);
  return {
    runId: meta.id,
    title,
    ...(sharedPrompt ? { sharedPrompt: sharedPrompt.trimEnd() } : {}),
    segmentation: scores?.segmentation ?? meta.segmentation,
    ...(meta.testSet ? { testSet: meta.testSet } : {}),
    models: meta.models.map((model) => {
      const mean = scores?.models[model.id]?.mean;
      return { id: model.id, name: model.name, kind: model.kind, isBase: model.id === base?.id, mean: mean ? scores4(mean) : null };
    }),
    rows: sorted,
  };
}
