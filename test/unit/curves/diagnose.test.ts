// The convergence diagnosis on deterministic synthetic curves of every verdict, and at the documented boundaries.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { diagnose, ema, evidenceLines, THRESHOLDS, VERDICTS } from '../../../src/core/curves/diagnose';
import { evalPoints, points, run } from './synth';

const N = 200;
const decay = (tau: number, from = 2, floor = 0.5) => (i: number) => from * Math.exp(-i / tau) + floor;

describe('diagnose: one curve of every verdict', () => {
  it('converged: clear decrease, a plateau, eval close to train', () => {
    const d = diagnose(run(points(N, decay(20), 0.03, 7), evalPoints(N, 20, (i) => decay(20)(i) * 1.1)));
    assert.equal(d.verdict, 'converged');
    assert.ok(d.evidence.relativeDecrease! > 0.5);
    assert.ok(d.evidence.eval!.gap < THRESHOLDS.GAP_LARGE);
    assert.equal(d.bestStep, 200, 'bestStep is the step of the lowest eval loss');
  });

  it('converged without eval when the plateau starts after the first third', () => {
    const d = diagnose(run(points(N, decay(30), 0.02, 3)));
    assert.equal(d.verdict, 'converged');
    const frac = (d.evidence.plateauFromStep! - 1) / (N - 1);
    assert.ok(frac > THRESHOLDS.EARLY_FRACTION, `plateau at ${frac}`);
  });

  it('converged_early: flat from early on with no eval, advice says check with an eval set or use fewer epochs', () => {
    const d = diagnose(run(points(N, decay(8), 0.03, 11)));
    assert.equal(d.verdict, 'converged_early');
    assert.ok(d.evidence.plateauFromStep! < N / 3);
    assert.match(d.advice, /eval set/);
    assert.match(d.advice, /fewer epochs/);
  });

  it('the same early plateau with an eval set close to train is converged, not converged_early', () => {
    const d = diagnose(run(points(N, decay(8), 0.03, 11), evalPoints(N, 25, (i) => decay(8)(i) * 1.05)));
    assert.equal(d.verdict, 'converged');
  });

  it('overfitting: eval rises while train falls; the advice names the checkpoint nearest the lowest eval loss', () => {
    const train = points(N, decay(40, 2, 0.3), 0.03, 5);
    const evalF = (i: number) => (i < 80 ? decay(40, 2, 0.35)(i) : decay(40, 2, 0.35)(80) + 0.004 * (i - 80));
    const cps = [{ step: 50, path: 'out/checkpoint-50' }, { step: 80, path: 'out/checkpoint-80' }, { step: 150, path: 'out/checkpoint-150' }, { step: 200 }];
    const d = diagnose(run(train, evalPoints(N, 20, evalF), cps));
    assert.equal(d.verdict, 'overfitting');
    assert.equal(d.bestStep, 80);
    assert.equal(d.evidence.eval!.risingFromStep, 80);
    assert.ok(d.evidence.eval!.trainFallAfterMin >= THRESHOLDS.TRAIN_FALL_AFTER_EVAL_MIN);
    assert.deepEqual(d.evidence.bestCheckpoint, { step: 80, path: 'out/checkpoint-80' });
    assert.match(d.advice, /out\/checkpoint-80/);
    assert.match(d.reason, /rose/);
  });

  it('overfitting by a large train/eval gap alone', () => {
    const d = diagnose(run(points(N, decay(20), 0.02, 9), evalPoints(N, 20, (i) => decay(20)(i) * 1.5)));
    assert.equal(d.verdict, 'overfitting');
    assert.equal(d.evidence.eval!.risingFromStep, undefined);
    assert.match(d.reason, /above the train loss/);
  });

  it('not_converged: no clear decrease; advice is more epochs or continue from the last checkpoint', () => {
    const d = diagnose(run(points(N, () => 1.2, 0.05, 13)));
    assert.equal(d.verdict, 'not_converged');
    assert.ok(d.evidence.relativeDecrease! < THRESHOLDS.CLEAR_DECREASE);
    assert.equal(d.evidence.insufficient, undefined);
    assert.match(d.advice, /more epochs/);
    assert.match(d.advice, /last checkpoint/);
  });

  it('still_improving: clearly decreasing at the end', () => {
    const d = diagnose(run(points(N, (i) => 2.5 - 1.2 * (i / N), 0.03, 17)));
    assert.equal(d.verdict, 'still_improving');
    assert.ok(d.evidence.tail!.change <= -THRESHOLDS.TAIL_CHANGE);
    assert.ok(d.evidence.tail!.t <= -THRESHOLDS.TAIL_T);
    assert.match(d.advice, /general ability/);
  });

  it('diverged: a blow-up after a decrease', () => {
    const d = diagnose(run(points(N, (i) => (i < 120 ? decay(20)(i) : decay(20)(120) * Math.exp((i - 120) / 15)), 0.02, 19)));
    assert.equal(d.verdict, 'diverged');
    assert.equal(d.evidence.nonFiniteStep, undefined);
    assert.match(d.reason, /blew up/);
    assert.match(d.advice, /learning rate/);
  });

  it('diverged: NaN in the middle, with its step; bestStep is the lowest loss before it', () => {
    const train = points(N, decay(20), 0.02, 23);
    train[100] = { step: 101, loss: NaN };
    const d = diagnose(run(train));
    assert.equal(d.verdict, 'diverged');
    assert.equal(d.evidence.nonFiniteStep, 101);
    assert.equal(d.evidence.nonFiniteIn, 'train');
    assert.ok(d.bestStep! <= 100);
    assert.match(d.reason, /NaN at step 101/);
  });

  it('diverged: Infinity in eval loss', () => {
    const d = diagnose(run(points(N, decay(20), 0.02, 23), [{ step: 50, loss: 1 }, { step: 100, loss: Infinity }]));
    assert.equal(d.verdict, 'diverged');
    assert.equal(d.evidence.nonFiniteIn, 'eval');
    assert.equal(d.evidence.nonFiniteStep, 100);
  });

  it('every verdict is one of the seven names', () => {
    assert.deepEqual([...VERDICTS].sort(), ['converged', 'converged_early', 'diverged', 'insufficient_data', 'not_converged', 'overfitting', 'still_improving']);
  });
});

describe('diagnose: documented boundaries', () => {
  it(`fewer than ${THRESHOLDS.MIN_POINTS} points: insufficient_data, "too few points to judge"`, () => {
    const d = diagnose(run(points(THRESHOLDS.MIN_POINTS - 1, decay(2))));
    assert.equal(d.verdict, 'insufficient_data');
    assert.equal(d.evidence.insufficient, 'few_points');
    assert.match(d.reason, /Too few points to judge/);
    assert.doesNotMatch(d.advice, /more epochs/);
    const enough = diagnose(run(points(THRESHOLDS.MIN_POINTS, (i) => 2 - 0.1 * i)));
    assert.equal(enough.evidence.insufficient, undefined);
    assert.notEqual(enough.verdict, 'insufficient_data');
  });

  it('no points at all: insufficient_data, no train loss', () => {
    const d = diagnose(run([]));
    assert.equal(d.verdict, 'insufficient_data');
    assert.equal(d.evidence.insufficient, 'no_train_loss');
    assert.equal(d.bestStep, undefined);
  });

  // Drop over the first 20% of steps, then flat: the relative decrease decides clear vs not.
  const dropThenFlat = (drop: number) => (i: number) => (i < 40 ? 1 - (drop * i) / 40 : 1 - drop);
  it('relative decrease 9% → not_converged; 11% → a clear decrease (converged_early without eval)', () => {
    assert.equal(diagnose(run(points(N, dropThenFlat(0.09)))).verdict, 'not_converged');
    assert.equal(diagnose(run(points(N, dropThenFlat(0.11)))).verdict, 'converged_early');
  });

  // Fast decay, then a linear tail that falls by `tail` of the end level over the last quarter.
  const withTail = (tail: number) => (i: number) => 2 * Math.exp(-i / 10) + 1 + tail * 4 * (1 - i / N);
  it('tail falling 2% → converged; 4% → still_improving (small noise)', () => {
    assert.equal(diagnose(run(points(N, withTail(0.02), 0.002, 29))).verdict, 'converged');
    assert.equal(diagnose(run(points(N, withTail(0.045), 0.002, 29))).verdict, 'still_improving');
  });

  it('a falling tail that is not significant against noise is not still_improving', () => {
    // 5% tail drop under ±25% noise: the t statistic stays small.
    const verdicts = [1, 2, 3, 4, 5].map((seed) => diagnose(run(points(N, withTail(0.05), 0.25, seed))).verdict);
    assert.ok(!verdicts.includes('still_improving'), verdicts.join(','));
  });

  it('noise does not change a plateau into another verdict (20 seeds, ±10% noise)', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const d = diagnose(run(points(N, decay(30), 0.1, seed)));
      assert.equal(d.verdict, 'converged', `seed ${seed}: ${d.verdict} ${d.reason}`);
    }
  });

  it('plateau start within the first third → converged_early; after it → converged', () => {
    // A step down at index k; the EMA lags a few points behind.
    const step = (k: number) => (i: number) => (i < k ? 2 : 1);
    assert.equal(diagnose(run(points(N, step(40)))).verdict, 'converged_early');
    assert.equal(diagnose(run(points(N, step(90)))).verdict, 'converged');
  });

  const flatTrain = () => points(N, decay(10), 0.01, 31);
  it('train/eval gap 25% → converged; 35% → overfitting', () => {
    assert.equal(diagnose(run(flatTrain(), evalPoints(N, 20, (i) => decay(10)(i) * 1.25))).verdict, 'converged');
    assert.equal(diagnose(run(flatTrain(), evalPoints(N, 20, (i) => decay(10)(i) * 1.35))).verdict, 'overfitting');
  });

  it('eval rising 3% → not overfitting; 8% → overfitting (train still falling)', () => {
    // Train falls ~10% after step 100, so the gap stays under GAP_LARGE and only the rise decides.
    const trainF = (i: number) => 1 + Math.exp(-i / 50);
    const train = points(N, trainF, 0.01, 37);
    const rising = (r: number) => (i: number) => (i < 100 ? trainF(i) * 1.02 : trainF(100) * 1.02 * (1 + (r * (i - 100)) / 99));
    const low = diagnose(run(train, evalPoints(N, 20, rising(0.03))));
    assert.equal(low.evidence.eval!.risingFromStep, undefined);
    assert.notEqual(low.verdict, 'overfitting');
    const high = diagnose(run(train, evalPoints(N, 20, rising(0.08))));
    assert.equal(high.verdict, 'overfitting');
    assert.equal(high.evidence.eval!.risingFromStep, 100);
    assert.ok(high.evidence.eval!.gap < THRESHOLDS.GAP_LARGE);
  });

  it('end loss 1.15× start → not diverged; 1.3× start → diverged', () => {
    const up = (r: number) => (i: number) => 1 + (r - 1) * (i / (N - 1));
    assert.notEqual(diagnose(run(points(N, up(1.15)))).verdict, 'diverged');
    assert.equal(diagnose(run(points(N, up(1.3)))).verdict, 'diverged');
  });
});

describe('diagnose: text and helpers', () => {
  it('zh-cn gives Chinese reason and advice', () => {
    const d = diagnose(run(points(N, decay(8), 0.03, 11)), { locale: 'zh-cn' });
    assert.equal(d.verdict, 'converged_early');
    assert.match(d.reason, /[\u4e00-\u9fff]/);
    assert.match(d.advice, /验证集/);
    assert.ok(evidenceLines(d.evidence, 'zh-cn').every((l) => /[\u4e00-\u9fff]/.test(l)));
  });

  it('evidence lines carry the numbers', () => {
    const d = diagnose(run(points(N, decay(20), 0.03, 7)));
    const text = evidenceLines(d.evidence).join('\n');
    assert.match(text, /start loss \(median of steps 1–\d+\): \d/);
    assert.match(text, /relative decrease: \d+\.\d%/);
    assert.match(text, /plateau from step \d+/);
  });

  it('ema follows a constant and smooths a step', () => {
    assert.deepEqual(ema([2, 2, 2], 5), [2, 2, 2]);
    const s = ema([0, 0, 10, 10, 10], 3);
    assert.equal(s[1], 0);
    assert.equal(s[2], 5);
    assert.ok(s[4]! > s[3]! && s[4]! < 10);
  });
});
