// generated_predictions.jsonl parsing, and the scorer's edge cases that need no Python.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { averageScores, createScorer, parsePredictions } from '../../../src/core/metrics';

describe('parsePredictions', () => {
  it('reads rows and reports bad lines by 1-based number', () => {
    const text = '\ufeff{"prompt":"p","predict":"a","label":"b"}\n\n{"predict":"c","label":"d"}\r\n[1]\n{"label":"x"}\n{bad\n';
    const { rows, problems } = parsePredictions(text);
    assert.deepEqual(rows, [{ line: 1, prompt: 'p', predict: 'a', label: 'b' }, { line: 3, prompt: '', predict: 'c', label: 'd' }]);
    assert.deepEqual(problems.map((p) => p.line), [4, 5, 6]);
    assert.match(problems[1]!.message, /"predict" must be a string \(found nothing\)/);
    assert.match(parsePredictions('{bad', 'zh-cn').problems[0]!.message, /不是有效的 JSON/);
  });
});

describe('scorer edge cases', () => {
  it('gives 0 for empty sides and 100 for identical texts', async () => {
    const s = await createScorer();
    const zero = s.score('', '');
    assert.deepEqual([zero['bleu-4'], zero['rouge-1'], zero['rouge-2'], zero['rouge-l']], [0, 0, 0, 0]);
    const same = s.score('我来到北京清华大学', '我来到北京清华大学');
    assert.equal(same['bleu-4'], 100);
    assert.equal(same['rouge-1'], 100);
    assert.deepEqual(same.rouge['rouge-l'], { f: 100, p: 100, r: 100 });
  });

  it('averages every field, NaN for no sample', async () => {
    const s = await createScorer({ segmentation: 'character' });
    const mean = averageScores([s.score('abcd', 'abcd'), s.score('', 'abcd')]);
    assert.equal(mean['bleu-4'], 50);
    assert.equal(mean.rouge['rouge-1'].p, 50);
    assert.ok(Number.isNaN(averageScores([])['rouge-1']));
  });
});
