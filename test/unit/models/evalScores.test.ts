import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fineTunedSummary, scoreText } from '../../../src/core/models/evalScores';
import type { EvalRunMeta, ScoresFile } from '../../../src/core/eval';

const rouge = { p: 0, r: 0, f: 0 };
const mean = (rl: number, bleu: number) => ({ 'bleu-4': bleu, 'rouge-1': rl, 'rouge-2': rl, 'rouge-l': rl, rouge: { 'rouge-1': rouge, 'rouge-2': rouge, 'rouge-l': rouge } });
const meta: EvalRunMeta = {
  version: 1, id: '20261207-100000-abcd', created: '2026-12-07T10:00:00Z', segmentation: 'jieba',
  models: [
    { id: 'base', name: 'Qwen3', kind: 'base', source: 'models/qwen3', status: 'done', isBase: true },
    { id: 'tuned', name: 'Wuxia LoRA', kind: 'finetuned', source: 'job', status: 'done', isBase: false },
  ],
};
const scores: ScoresFile = {
  version: 1, segmentation: 'jieba',
  models: { base: { samples: [mean(30, 10)], mean: mean(30, 10) }, tuned: { samples: [mean(41.2, 20), mean(41.2, 20)], mean: mean(41.2, 20) } },
};

test('a job\'s eval run shows its fine-tuned model\'s scores with the delta against the base', () => {
  const summary = fineTunedSummary(meta, scores);
  assert.equal(summary?.modelId, 'tuned');
  assert.equal(summary?.samples, 2);
  assert.equal(scoreText(summary!), 'ROUGE-L 41.20 (+11.20) · BLEU-4 20.00 (+10.00)');
});

test('a run without scores has nothing to show; without a base there is no delta', () => {
  assert.equal(fineTunedSummary(meta, undefined), undefined);
  const alone: ScoresFile = { ...scores, models: { tuned: scores.models['tuned']! } };
  assert.equal(scoreText(fineTunedSummary(meta, alone)!), 'ROUGE-L 41.20 · BLEU-4 20.00');
});
