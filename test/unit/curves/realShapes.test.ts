// The diagnosis on fixtures in the shapes real runs draw (HF trainer_state.json, LLaMA-Factory trainer_log.jsonl,
// events.jsonl), one per class of issue 15: each asserts its exact verdict.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { importCurves } from '../../../src/core/curves/importers';
import { diagnose, evidenceLines } from '../../../src/core/curves/diagnose';
import type { Locale } from '../../../src/core/dataset/types';

const FIXTURES = 'test/fixtures/curves';
const read = (rel: string) => importCurves(`${FIXTURES}/${rel}`, readFileSync(`${FIXTURES}/${rel}`, 'utf8'));
const judge = (rel: string, locale: Locale = 'en') => diagnose(read(rel).curves, { locale });

describe('near-zero losses are judged against the fall', () => {
  it('flat near zero for most of 131 epochs, the tail moving 0.004 → 0.0029: converged_early (memorised), not still_improving', () => {
    const d = judge('hf-memorised/trainer_state.json');
    assert.equal(d.verdict, 'converged_early');
    assert.equal(d.evidence.nearZero, true);
    assert.ok(Math.abs(d.evidence.tail!.change) < 0.03, `tail ${d.evidence.tail!.change}`);
    assert.match(d.reason, /memorised/);
    assert.match(judge('hf-memorised/trainer_state.json', 'zh-cn').reason, /背下了训练数据/);
    assert.match(evidenceLines(d.evidence).join('\n'), /near-zero loss: changes are measured against the fall/);
  });

  it('train loss ending near 0.05 with noise while eval rises: overfitting, not diverged', () => {
    const d = judge('hf-overfit-near-zero/trainer_state.json');
    assert.equal(d.verdict, 'overfitting');
    assert.equal(d.evidence.eval!.minStep, 200);
    assert.equal(d.bestStep, 200);
  });
});

describe('still_improving agrees with its evidence', () => {
  it('a plateau that starts inside the tail window, flat after it: converged, not still_improving', () => {
    const d = judge('llamafactory-plateau-in-tail/trainer_log.jsonl');
    assert.equal(d.verdict, 'converged');
    assert.ok(d.evidence.plateauFromStep! >= d.evidence.tail!.fromStep, 'the plateau is inside the tail window');
    assert.ok(d.evidence.tail!.change <= -0.03, 'the tail as a whole falls');
    assert.ok(Math.abs(d.evidence.afterPlateau!.change) < 0.03, 'but not after the plateau');
  });

  it('a run still falling at the end reports no plateau', () => {
    const d = judge('llamafactory/trainer_log.jsonl');
    assert.equal(d.verdict, 'still_improving');
    assert.equal(d.evidence.plateauFromStep, undefined);
    assert.doesNotMatch(evidenceLines(d.evidence).join('\n'), /plateau from step/);
  });
});

describe('insufficient_data: too little to judge, with the reason', () => {
  it('a LLaMA-Factory predict run (steps, no loss): no train loss', () => {
    const d = judge('llamafactory-predict/trainer_log.jsonl');
    assert.equal(d.verdict, 'insufficient_data');
    assert.equal(d.evidence.insufficient, 'no_train_loss');
    assert.match(d.reason, /no train loss/);
    assert.doesNotMatch(d.advice, /more epochs/);
    assert.match(evidenceLines(d.evidence).join('\n'), /train loss points: 0 \(of 40 steps planned\)/);
    assert.match(judge('llamafactory-predict/trainer_log.jsonl', 'zh-cn').reason, /没有训练 loss/);
  });

  it('a GRPO trainer_state.json (loss is β·KL, the reward climbs): an RL objective, judged by its reward', () => {
    const { curves } = read('hf-grpo/trainer_state.json');
    assert.equal(curves.reward!.length, 80);
    const d = diagnose(curves);
    assert.equal(d.verdict, 'insufficient_data');
    assert.equal(d.evidence.insufficient, 'rl_objective');
    assert.ok(d.evidence.reward!.end > d.evidence.reward!.start);
    assert.match(d.reason, /not a supervised loss/);
    assert.match(d.advice, /reward/);
    assert.match(judge('hf-grpo/trainer_state.json', 'zh-cn').reason, /强化学习/);
  });

  it('a run stopped after four logged points: too few points; the eval point still names the best step', () => {
    const d = judge('hf-few-points/trainer_state.json');
    assert.equal(d.verdict, 'insufficient_data');
    assert.equal(d.evidence.insufficient, 'few_points');
    assert.equal(d.bestStep, 40);
    assert.match(d.reason, /4 train loss points/);
  });
});

describe('insufficient_data travels to the panel', () => {
  it('the protocol accepts it and the panel has a label key for it', async () => {
    const { LossRun, lossCurveStringKeys } = await import('../../../src/shared/protocol/lossCurve');
    const { lossRun } = await import('../../../src/core/curves/run');
    const text = readFileSync(`${FIXTURES}/llamafactory-predict/trainer_log.jsonl`, 'utf8');
    const r = lossRun('llamafactory-predict/trainer_log.jsonl', 'predict', text, 'en');
    assert.equal(LossRun.parse(r).verdict, 'insufficient_data');
    assert.ok((lossCurveStringKeys as readonly string[]).includes('insufficient_data'));
  });
});
