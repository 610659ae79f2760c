import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { baseModelOf, deltaOf, dropsAgainstBase, summariseRun, type EvalRunMeta, type ScoresFile } from '../../../src/core/eval';

const mean = (b: number, r1: number, r2: number, rl: number) => ({
  'bleu-4': b, 'rouge-1': r1, 'rouge-2': r2, 'rouge-l': rl,
  rouge: { 'rouge-1': { f: r1, p: 0, r: 0 }, 'rouge-2': { f: r2, p: 0, r: 0 }, 'rouge-l': { f: rl, p: 0, r: 0 } },
});

const meta = (models: EvalRunMeta['models']): EvalRunMeta => ({ version: 1, id: 'run', created: '2026-11-25T00:00:00Z', segmentation: 'jieba', models });
const model = (id: string, kind: 'base' | 'imported', isBase = false) => ({ id, name: id.toUpperCase(), kind, source: '', status: 'done' as const, isBase });

describe('comparison', () => {
  it('deltas against the base model, rounded to the scores\' 4 decimals', () => {
    assert.deepEqual(deltaOf({ 'bleu-4': 0.3, 'rouge-1': 50, 'rouge-2': 20.1234, 'rouge-l': 10 }, { 'bleu-4': 0.1 + 0.2, 'rouge-1': 40.5, 'rouge-2': 25, 'rouge-l': 10 }),
      { 'bleu-4': 0, 'rouge-1': 9.5, 'rouge-2': -4.8766, 'rouge-l': 0 });
  });

  it('summarises each scored model with deltas against the marked base', () => {
    const m = meta([model('ft', 'imported'), model('b', 'imported', true), model('unscored', 'imported')]);
    const scores: ScoresFile = { version: 1, segmentation: 'jieba', models: { ft: { samples: [], mean: mean(30, 60, 40, 55) }, b: { samples: [], mean: mean(10, 50, 30, 45) } } };
    const summary = summariseRun(m, scores);
    assert.deepEqual(summary.map((s) => [s.modelId, s.isBase, s.delta]), [
      ['ft', false, { 'bleu-4': 20, 'rouge-1': 10, 'rouge-2': 10, 'rouge-l': 10 }],
      ['b', true, undefined],
    ]);
  });

  it('falls back to a model of kind base, and gives no deltas without one', () => {
    assert.equal(baseModelOf(meta([model('x', 'imported'), model('y', 'base')]))?.id, 'y');
    const m = meta([model('x', 'imported')]);
    const summary = summariseRun(m, { version: 1, segmentation: 'jieba', models: { x: { samples: [], mean: mean(1, 2, 3, 4) } } });
    assert.equal(summary[0]!.delta, undefined);
    assert.deepEqual(summariseRun(m, undefined), []);
  });

  it('per-sample drops: positive where the model does worse than the base', () => {
    assert.deepEqual(dropsAgainstBase([50, 80, undefined, 10], [60, 70, 5]), [10, -10, undefined, undefined]);
  });
});
