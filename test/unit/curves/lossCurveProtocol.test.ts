// The loss-curve panel's messages: a run that only grew travels as its new points (runTail / appendTail), the
// point lists are checked by hand-written loops with zod's rules, and the page's series (EMA, epochs, checkpoints).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { LossCurveHostMessage, LossRun, appendTail, runTail, type LossRun as Run } from '../../../src/shared/protocol/lossCurve';
import { series, smooth, xExtent } from '../../../webview/lossCurve/series';

function makeRun(steps: number, extra: Partial<Run> = {}): Run {
  const train = Array.from({ length: steps }, (_, i) => ({ step: i + 1, epoch: (i + 1) / 10, loss: 2 / (i + 1) }));
  return {
    fileName: 'jobs/a/events.jsonl', source: 'events', train, eval: [], checkpoints: [],
    learningRate: train.map((p) => ({ step: p.step, value: 1e-4 })),
    verdict: 'still_improving', reason: 'r', advice: 'a', evidence: ['e'], skippedLines: 0, ...extra,
  };
}

describe('runTail / appendTail', () => {
  it('sends only the new points of a log that grew, and applying them gives the new run', () => {
    const before = makeRun(5);
    const after = makeRun(8, { verdict: 'converged', bestStep: 8, eval: [{ step: 8, loss: 0.3 }], checkpoints: [{ step: 8, path: 'checkpoint-8' }] });
    const tail = runTail(before, after);
    assert.ok(tail);
    assert.deepEqual(tail.train.map((p) => p.step), [6, 7, 8]);
    assert.equal(tail.learningRate.length, 3);
    assert.deepEqual(tail.eval, [{ step: 8, loss: 0.3 }]);
    const page = structuredClone(before);
    appendTail(page, tail);
    assert.deepEqual(page, after);
  });

  it('sends the whole run when the log was rewritten, truncated or is another file', () => {
    const before = makeRun(5);
    assert.equal(runTail(before, makeRun(3)), undefined, 'shorter');
    const rewritten = makeRun(8);
    rewritten.train[4] = { step: 5, epoch: 0.5, loss: 9 };
    assert.equal(runTail(before, rewritten), undefined, 'a point the page has changed');
    assert.equal(runTail(before, { ...makeRun(8), source: 'hf-trainer-state' }), undefined, 'another format');
  });

  it('a diagnosis field that disappears is removed from the page copy', () => {
    const page = makeRun(3, { bestStep: 2 });
    const tail = runTail(page, makeRun(4));
    assert.ok(tail);
    appendTail(page, tail);
    assert.equal(page.bestStep, undefined);
  });
});

describe('point lists are validated (by loops, not per-element zod)', () => {
  it('accepts a 200,000-point run and a null (NaN) loss', () => {
    const run = makeRun(200_000);
    run.train[7] = { step: 8, loss: null };
    assert.ok(LossRun.safeParse(run).success);
  });

  it('rejects non-numbers, NaN, Infinity, a missing step and non-objects, saying what was expected', () => {
    const bad: unknown[] = [
      { step: '1', loss: 1 }, { step: 1, loss: Number.NaN }, { step: 1, loss: Infinity }, { loss: 1 },
      { step: 1, epoch: 'x', loss: 1 }, null, 3,
    ];
    for (const point of bad) {
      const run = { ...makeRun(2), train: [{ step: 0, loss: 1 }, point] };
      const parsed = LossRun.safeParse(run);
      assert.equal(parsed.success, false, JSON.stringify(point));
      assert.match(parsed.error!.message, /expected a list of \{step, epoch\?, loss\} points/);
    }
    const lr = LossRun.safeParse({ ...makeRun(2), learningRate: [{ step: 1, value: null }] });
    assert.equal(lr.success, false);
  });

  it('an append message validates like a run', () => {
    const tail = runTail(makeRun(2), makeRun(3))!;
    assert.ok(LossCurveHostMessage.safeParse({ type: 'append', id: 'x', tail }).success);
    assert.equal(LossCurveHostMessage.safeParse({ type: 'append', id: 'x', tail: { ...tail, train: [{ step: 1 }] } }).success, false);
  });
});

describe('series', () => {
  it('the inline EMA equals smooth(), and gaps stay gaps', () => {
    const run = makeRun(50);
    run.train[10] = { step: 11, loss: null };
    for (const w of [0, 0.6, 0.95]) {
      const s = series(run, w, false);
      assert.deepEqual(s.smoothed.map((p) => p.y), smooth(run.train.map((p) => p.loss), w));
      assert.equal(s.smoothed[10]!.y, null);
    }
  });

  it('by epoch: logged epochs, interpolated ones for checkpoints; a run without epochs has no points', () => {
    const run = makeRun(20, { checkpoints: [{ step: 15 }] });
    const s = series(run, 0.5, true);
    assert.equal(s.raw[9]!.x, 1);
    assert.equal(s.checkpoints[0]!.x, 1.5);
    assert.equal(s.checkpoints[0]!.y, s.smoothed[14]!.y, 'the checkpoint sits on the smoothed curve');
    const noEpochs = makeRun(5);
    noEpochs.train = noEpochs.train.map(({ step, loss }) => ({ step, loss }));
    assert.equal(series(noEpochs, 0.5, true).raw.length, 0);
  });

  it('a checkpoint between logged steps takes the nearest one', () => {
    const run = makeRun(10);
    run.train = run.train.filter((p) => p.step % 5 === 0); // steps 5, 10
    run.checkpoints = [{ step: 6 }, { step: 9 }, { step: 1 }, { step: 50 }];
    const s = series(run, 0, false);
    assert.deepEqual(s.checkpoints.map((p) => p.y), [run.train[0]!.loss, run.train[1]!.loss, run.train[0]!.loss, run.train[1]!.loss]);
  });

  it('a run that grew (appendTail) gets the same series as the whole run computed afresh, by step and by epoch', () => {
    for (const byEpoch of [false, true]) {
      const live = makeRun(30, { checkpoints: [{ step: 10 }] });
      live.train[3] = { step: 4, epoch: 0.4, loss: null };
      series(live, 0.8, byEpoch);
      const grown = makeRun(45, { eval: [{ step: 40, epoch: 4, loss: 0.5 }], checkpoints: [{ step: 10 }, { step: 45 }] });
      grown.train[3] = { step: 4, epoch: 0.4, loss: null };
      appendTail(live, runTail(live, grown)!);
      assert.deepEqual(series(live, 0.8, byEpoch), series(structuredClone(grown), 0.8, byEpoch));
      assert.deepEqual(series(live, 0.3, byEpoch), series(structuredClone(grown), 0.3, byEpoch), 'another smoothing: computed again');
    }
  });

  it('xExtent spans every run', () => {
    assert.deepEqual(xExtent([series(makeRun(5), 0.5, false), series(makeRun(9), 0.5, false)]), { min: 1, max: 9 });
    assert.equal(xExtent([]), undefined);
  });
});
