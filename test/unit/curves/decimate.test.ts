// What the page is sent of a long run (decimate.ts, run.ts): the lowest and highest point of each bucket, spikes
// and gaps kept, the first and last point; a zoomed range at full resolution; and the page splicing it in.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { OVERVIEW_BUCKETS, minMaxDecimate, pointsInRange } from '../../../src/core/curves/decimate';
import { runDetail, toRun } from '../../../src/core/curves/run';
import { withDetail } from '../../../webview/lossCurve/series';
import { LossRun, runTail } from '../../../src/shared/protocol/lossCurve';
import { lcg } from './synth';
import type { LossPoint, RunCurves } from '../../../src/core/curves/types';

const value = (p: LossPoint) => (Number.isFinite(p.loss) ? p.loss : null);

function noisy(n: number, seed = 3): LossPoint[] {
  const rnd = lcg(seed);
  return Array.from({ length: n }, (_, i) => ({ step: i + 1, epoch: (i + 1) / 1000, loss: 1 + 0.1 * rnd() }));
}

describe('minMaxDecimate', () => {
  it('a short list is sent as it is', () => {
    const pts = noisy(100);
    assert.equal(minMaxDecimate(pts, value, 50), pts);
  });

  it('keeps each bucket\'s lowest and highest point, a lone spike and dip, the first and last point', () => {
    const pts = noisy(100_000);
    pts[12_345]!.loss = 9; // a spike
    pts[54_321]!.loss = -3; // a dip
    const out = minMaxDecimate(pts, value, 1000);
    assert.ok(out.length <= 2 * 1000 + 2, `${out.length} points`);
    assert.ok(out.includes(pts[12_345]!), 'the spike');
    assert.ok(out.includes(pts[54_321]!), 'the dip');
    assert.equal(out[0], pts[0]);
    assert.equal(out.at(-1), pts.at(-1));
    assert.ok(out.every((p, i) => i === 0 || p.step > out[i - 1]!.step), 'in step order');
    // Every bucket's extremes are there: the overall envelope is the same.
    const width = 100;
    for (let b = 0; b < 1000; b += 97) {
      const inBucket = pts.filter((p) => Math.floor((p.step - 1) / (99_999 / 1000)) === b);
      const min = Math.min(...inBucket.map((p) => p.loss));
      const max = Math.max(...inBucket.map((p) => p.loss));
      const kept = out.filter((p) => inBucket.includes(p)).map((p) => p.loss);
      assert.ok(kept.includes(min) && kept.includes(max), `bucket ${b} (~${width} points)`);
    }
  });

  it('keeps a gap (a NaN loss) so the chart shows the break', () => {
    const pts = noisy(50_000);
    pts[30_000]!.loss = NaN;
    const out = minMaxDecimate(pts, value, 500);
    assert.ok(out.some((p) => Number.isNaN(p.loss)));
  });
});

describe('pointsInRange', () => {
  it('the points inside, with one neighbour each side', () => {
    const pts = noisy(100);
    assert.deepEqual(pointsInRange(pts, 10, 20).map((p) => p.step), [9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21]);
    assert.deepEqual(pointsInRange(pts, 0, 2).map((p) => p.step), [1, 2, 3]);
    assert.deepEqual(pointsInRange(pts, 99.5, 200).map((p) => p.step), [99, 100]);
  });
});

describe('a 200,000-step run sent to the page', () => {
  const train = noisy(200_000);
  train[150_000]!.loss = 7;
  const curves: RunCurves = { source: 'llamafactory-log', train, eval: [], learningRate: train.map((p) => ({ step: p.step, value: 1e-4 })), checkpoints: [] };
  const run = toRun('big', curves, 0, 'en');

  it('is an overview of at most about two points a bucket, saying how many points there are', () => {
    assert.ok(run.train.length <= 2 * OVERVIEW_BUCKETS + 2, `${run.train.length}`);
    assert.ok(run.learningRate.length <= 2 * OVERVIEW_BUCKETS + 2);
    assert.deepEqual(run.fullPoints, { train: 200_000, learningRate: 200_000 });
    assert.ok(run.train.some((p) => p.loss === 7), 'the spike');
    assert.ok(JSON.stringify(run).length < 500_000, `${JSON.stringify(run).length} bytes`);
    assert.equal(LossRun.safeParse(run).success, true);
    assert.equal(runTail(run, run), undefined, 'an overview is sent whole');
  });

  it('a zoomed range comes at full resolution, by step or by epoch, and the page splices it into the overview', () => {
    const detail = runDetail(curves, 1000, 2000, false);
    assert.equal(detail.train.length, 1003);
    assert.equal(detail.train[1]!.step, 1000);
    const byEpoch = runDetail(curves, 1, 2, true);
    assert.equal(byEpoch.from, 1000);
    assert.equal(byEpoch.to, 2000);
    const shown = withDetail(run, detail);
    const steps = shown.train.map((p) => p.step);
    assert.ok(steps.every((s, i) => i === 0 || s > steps[i - 1]!), 'in order, no point twice');
    assert.equal(steps.filter((s) => s >= 1000 && s <= 2000).length, 1001, 'every step of the range');
    assert.ok(steps.length < 1001 + 2 * OVERVIEW_BUCKETS + 2, 'the overview elsewhere');
    assert.equal(withDetail(run, undefined), run);
  });

  it('a wide zoomed range is decimated again', () => {
    assert.ok(runDetail(curves, 1, 150_000, false).train.length <= 2 * OVERVIEW_BUCKETS + 2);
  });
});

describe('the zoom messages', () => {
  it('the page says its range (or null); the host answers with the range\'s points; both are checked', async () => {
    const { LossCurveHostMessage, LossCurveWebviewMessage } = await import('../../../src/shared/protocol/lossCurve');
    assert.equal(LossCurveWebviewMessage.safeParse({ type: 'zoom', range: { min: 10, max: 20, byEpoch: false } }).success, true);
    assert.equal(LossCurveWebviewMessage.safeParse({ type: 'zoom', range: null }).success, true);
    assert.equal(LossCurveWebviewMessage.safeParse({ type: 'zoom', range: { min: 20, max: 20, byEpoch: false } }).success, false, 'an empty range');
    const detail = runDetail({ source: 'events', train: noisy(50), eval: [], learningRate: [], checkpoints: [] }, 10, 20, false);
    assert.equal(LossCurveHostMessage.safeParse({ type: 'detail', id: 'a', detail }).success, true);
    assert.equal(LossCurveHostMessage.safeParse({ type: 'detail', id: 'a', detail: { ...detail, train: [{ step: 'x', loss: 1 }] } }).success, false);
  });
});
