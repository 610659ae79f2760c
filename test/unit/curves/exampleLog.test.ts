// The example workspace's training log (examples/wuxia-doctor/training-log/trainer_log.jsonl) opens in the
// loss-curve panel whole, and shows what its README says: overfitting, lowest eval loss at step 48.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { lossRun } from './lossRun';

const FILE = 'examples/wuxia-doctor/training-log/trainer_log.jsonl';

describe('the example training log', () => {
  it('reads every line and is diagnosed as its README says', () => {
    const run = lossRun(FILE, 'trainer_log.jsonl', readFileSync(FILE, 'utf8'), 'en');
    assert.equal(run.skippedLines, 0);
    assert.equal(run.source, 'llamafactory-log');
    assert.equal(run.train.length, 30);
    assert.equal(run.eval.length, 8);
    assert.equal(run.verdict, 'overfitting');
    assert.equal(run.bestStep, 48);
    assert.ok(run.learningRate.every((p) => p.value >= 0 && p.value <= 2e-4));
  });
});
