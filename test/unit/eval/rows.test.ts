import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { searchTexts, visibleRows, type ViewOptions } from '../../../webview/evalDetail/rows';
import type { EvalDetail } from '../../../src/shared/protocol/evalDetail';

const row = (index: number, prompt: string, base: number | null, tuned: number | null) => ({
  index, prompt, label: `ref ${index}`,
  answers: [base === null ? null : { text: `base ${index}`, scores: [base, base, base, base] as [number, number, number, number] },
    tuned === null ? null : { text: `tuned ${index}`, scores: [tuned, tuned, tuned, tuned] as [number, number, number, number] }],
});

const detail: EvalDetail = {
  runId: 'r', title: 't', segmentation: 'jieba',
  models: [{ id: 'b', name: 'B', kind: 'base', isBase: true, mean: null }, { id: 't', name: 'T', kind: 'imported', isBase: false, mean: null }],
  rows: [row(0, '风寒 cold', 50, 60), row(1, 'insomnia', 80, 20), row(2, '风寒 again', 40, 35), row(3, 'missing', 10, null)],
};
const texts = searchTexts(detail.rows);
const view = (o: Partial<ViewOptions>) => visibleRows(detail, texts, { search: '', sort: 'index', model: 1, metric: 3, descending: false, ...o });

describe('eval-detail rows', () => {
  it('sorts by the largest drop of the model against the base, rows without both answers last', () => {
    assert.deepEqual(view({ sort: 'drop', descending: true }), [1, 2, 0, 3]);
    assert.deepEqual(view({ sort: 'drop', descending: false }), [0, 2, 1, 3]);
  });

  it('sorts by any model\'s score, and in sample order either way', () => {
    assert.deepEqual(view({ sort: 'score', model: 0 }), [3, 2, 0, 1]);
    assert.deepEqual(view({ sort: 'score', model: 1, descending: true }), [0, 2, 1, 3]);
    assert.deepEqual(view({ descending: true }), [3, 2, 1, 0]);
  });

  it('filters on every word, case-insensitively, in prompts, references and answers', () => {
    assert.deepEqual(view({ search: '风寒' }), [0, 2]);
    assert.deepEqual(view({ search: 'COLD 风寒' }), [0]);
    assert.deepEqual(view({ search: 'tuned 1' }), [1]);
    assert.deepEqual(view({ search: 'ref 3' }), [3]);
    assert.deepEqual(view({ search: 'nothing like it' }), []);
  });

  it('has no drop to sort by when the sorted model is the base', () => {
    assert.deepEqual(view({ sort: 'drop', model: 0 }), [0, 1, 2, 3]);
  });
});
