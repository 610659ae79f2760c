// A log with one step: the panel's verdict says there is too little to judge (the badge shows the verdict, so it
// agrees with the reason), the axes get bounds around the lone values (not Chart.js's ±5%, nor a learning-rate
// axis below zero) and the lone point is drawn.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { lossRun } from './lossRun';
import { VERDICTS } from '../../../src/core/curves/diagnose';
import { lossCurveStringKeys } from '../../../src/shared/protocol/lossCurve';
import { lonePoint, pointValues, series, singleValueRange } from '../../../webview/lossCurve/series';

const ONE_STEP = '{"current_steps": 1, "total_steps": 60, "loss": 2.31, "lr": 0.0, "epoch": 0.05, "percentage": 1.67}\n';

describe('a training log with one point', () => {
  it('gets the insufficient_data verdict, a badge string for it, and a reason about too few points', () => {
    const run = lossRun('trainer_log.jsonl', 'trainer_log.jsonl', ONE_STEP, 'en');
    assert.equal(run.verdict, 'insufficient_data');
    for (const verdict of VERDICTS) assert.ok((lossCurveStringKeys as readonly string[]).includes(verdict), `the page has a badge label for ${verdict}`);
    assert.match(run.reason, /few/i);
    assert.equal(run.train.length, 1);
  });

  it('x and learning-rate axes around the lone values, never below zero', () => {
    const s = series(lossRun('trainer_log.jsonl', 'trainer_log.jsonl', ONE_STEP, 'en'), 0.9, false);
    assert.deepEqual(singleValueRange(s.raw.map((p) => p.x), true, 1), { min: 0, max: 2 });
    assert.deepEqual(singleValueRange([0.05], true, 1), { min: 0, max: 1.05 }, 'by epoch');
    const lr = singleValueRange([2e-4], true)!;
    assert.ok(Math.abs(lr.min - 1e-4) < 1e-12 && Math.abs(lr.max - 3e-4) < 1e-12, 'a learning rate keeps its scale');
    assert.deepEqual(singleValueRange(s.lr.map((p) => p.y), true), { min: 0, max: 1 });
    assert.deepEqual(singleValueRange([2.31, null], false), { min: 1.155, max: 3.465 });
    assert.deepEqual(singleValueRange([-2], false), { min: -3, max: -1 });
    assert.equal(singleValueRange([1, 2], true), undefined, 'a range: Chart.js fits it');
    assert.equal(singleValueRange([], true), undefined);
    assert.deepEqual(singleValueRange(pointValues([s.raw, s.evals, s.lr], 'x'), true, 1), { min: 0, max: 2 }, 'over every line of the run');
    assert.equal(singleValueRange(pointValues([[{ x: 1, y: 1 }], [{ x: 3, y: 1 }]], 'x'), true, 1), undefined, 'two runs at other steps');
  });

  it('draws the lone point of a line (a line of one point draws nothing)', () => {
    assert.equal(lonePoint([{ x: 1, y: 2 }]), true);
    assert.equal(lonePoint([{ x: 1, y: 2 }, { x: 2, y: null }]), true);
    assert.equal(lonePoint([{ x: 1, y: 2 }, { x: 2, y: 1 }]), false);
    assert.equal(lonePoint([]), false);
  });
});
